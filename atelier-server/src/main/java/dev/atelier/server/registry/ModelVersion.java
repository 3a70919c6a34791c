package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A model version as MLflow's API shows it (model_registry.proto ModelVersion), components in
 * MLflow's field order. {@code description} and {@code runLink} are always written, even empty;
 * {@code runId} is left out when the version has none. Aliases are shown only by some calls
 * (get, get-by-alias, update, transition-stage), so {@link #withoutAliases()} drops them.
 */
public record ModelVersion(
        String name,
        String version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String currentStage,
        String description,
        String source,
        String runId,
        String status,
        List<KeyValue> tags,
        String runLink,
        List<String> aliases) {

    public static final String READY = "READY";

    public ModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(currentStage, "currentStage is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        requireNonNull(status, "status is null");
        requireNonNull(runLink, "runLink is null");
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    public ModelVersion withoutAliases() {
        return new ModelVersion(name, version, creationTimestamp, lastUpdatedTimestamp, currentStage, description, source,
                runId, status, tags, runLink, List.of());
    }
}
