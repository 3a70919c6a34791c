package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.List;

/** The kinds of identifier in a run search, with the prefixes MLflow accepts for each. */
enum RunEntity {
    METRIC("metric", List.of("metric", "metrics")),
    PARAMETER("parameter", List.of("parameter", "parameters", "param", "params")),
    TAG("tag", List.of("tag", "tags")),
    ATTRIBUTE("attribute", List.of("attribute", "attributes", "attr", "run")),
    DATASET("dataset", List.of("dataset", "datasets"));

    private final String displayName;
    private final List<String> prefixes;

    RunEntity(String displayName, List<String> prefixes) {
        this.displayName = displayName;
        this.prefixes = prefixes;
    }

    /** The name MLflow's messages use: metric, parameter, tag, attribute, dataset. */
    String displayName() {
        return displayName;
    }

    /**
     * The entity of an identifier; a bare identifier (null prefix) is an attribute.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for an unknown prefix
     */
    static RunEntity of(RawIdentifier identifier) {
        if (identifier.entity() == null) {
            return ATTRIBUTE;
        }
        for (RunEntity entity : values()) {
            if (entity.prefixes.contains(identifier.entity())) {
                return entity;
            }
        }
        throw AtelierException.invalidParameter("Invalid entity type '" + identifier.entity()
                + "'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']");
    }
}
