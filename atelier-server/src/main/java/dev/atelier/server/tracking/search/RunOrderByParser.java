package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses the order_by list of runs/search as MLflow does. Thread-safe (stateless). */
final class RunOrderByParser {
    private RunOrderByParser() {
    }

    /**
     * The orderings of {@code orderBy}, in priority order; empty for null or empty.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for an unparsable entry, an unknown key,
     *         datasets (not orderable) or a key named twice
     */
    static List<RunOrdering> parse(List<String> orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return List.of();
        }
        List<RunOrdering> orderings = orderBy.stream().map(RunOrderByParser::ordering).toList();
        Set<RunOrdering.Key> seen = new HashSet<>();
        for (RunOrdering ordering : orderings) {
            if (!seen.add(ordering.key())) {
                throw AtelierException.invalidParameter(
                        "`order_by` contains duplicate fields: " + SearchMessages.describeList(orderBy));
            }
        }
        return orderings;
    }

    private static RunOrdering ordering(String clause) {
        RawOrderBy raw = SearchSyntax.parseOrderBy(clause);
        String key = raw.identifier().key();
        RunOrdering.Key orderKey = switch (RunEntity.of(raw.identifier())) {
            case METRIC -> new RunOrdering.Metric(key);
            case PARAMETER -> new RunOrdering.Param(key);
            case TAG -> new RunOrdering.Tag(key);
            case ATTRIBUTE -> new RunOrdering.Attribute(RunAttribute.forOrderKey(key).orElseThrow(() ->
                    AtelierException.invalidParameter("Invalid attribute key '" + key + "' specified. Valid keys are '"
                            + RunAttribute.describeKeys(false) + "'")));
            case DATASET -> throw AtelierException.invalidParameter(
                    "Invalid order_by clause '" + clause + "': runs cannot be ordered by dataset.");
        };
        return new RunOrdering(orderKey, raw.ascending());
    }
}
