package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.atelier.server.tracking.search.ComparisonOperator.NUMERIC;
import static dev.atelier.server.tracking.search.ComparisonOperator.STRING;

/**
 * Parses the filter and order_by of MLflow's experiments/search, following MLflow's
 * {@code SearchExperimentsUtils}. Identifiers are bare attributes, {@code attribute.}/{@code attributes.}
 * attributes, or {@code tag.}/{@code tags.} tags. Thread-safe (stateless).
 */
final class ExperimentSearchParser {
    private static final Set<String> ENTITY_TYPES = Set.of("attribute", "attributes", "tag", "tags");

    private ExperimentSearchParser() {
    }

    /**
     * The predicates of {@code filter}; empty for a null or blank filter.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the first problem found
     */
    static List<ExperimentPredicate> parseFilter(String filter) {
        return SearchSyntax.parseFilter(filter, ExperimentSearchParser::predicate);
    }

    /**
     * The orderings of {@code orderBy} followed by MLflow's tie-breaker, experiment_id DESC, unless
     * experiment_id is ordered; MLflow's default {@code creation_time DESC, experiment_id ASC} when
     * {@code orderBy} is null or empty.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for an unparsable entry, a tag or an unknown key
     */
    static List<ExperimentOrdering> parseOrderBy(List<String> orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return List.of(new ExperimentOrdering(ExperimentColumn.CREATION_TIME, false),
                    new ExperimentOrdering(ExperimentColumn.EXPERIMENT_ID, true));
        }
        List<ExperimentOrdering> orderings = new ArrayList<>();
        for (String clause : orderBy) {
            RawOrderBy raw = SearchSyntax.parseOrderBy(clause);
            if (isTag(raw.identifier())) {
                throw AtelierException.invalidParameter("Invalid order_by entity: tag");
            }
            orderings.add(new ExperimentOrdering(orderColumn(raw.identifier().key()), raw.ascending()));
        }
        if (orderings.stream().noneMatch(ordering -> ordering.column() == ExperimentColumn.EXPERIMENT_ID)) {
            orderings.add(new ExperimentOrdering(ExperimentColumn.EXPERIMENT_ID, false));
        }
        return List.copyOf(orderings);
    }

    private static ExperimentPredicate predicate(RawComparison comparison) {
        RawValue value = comparison.value();
        String key = comparison.identifier().key();
        if (isTag(comparison.identifier())) {
            String text = ComparisonValues.text(value, "Expected a quoted string value for tag (e.g. 'my-value'). Got value ");
            return new ExperimentPredicate.TagComparison(key, ComparisonValues.operator(comparison.operator(), STRING), text);
        }
        return switch (key) {
            case "name" -> {
                String text = ComparisonValues.text(value, "Expected a quoted string value for attributes. Got value ");
                yield new ExperimentPredicate.NameComparison(ComparisonValues.operator(comparison.operator(), STRING), text);
            }
            case "creation_time", "last_update_time" -> {
                Number number = ComparisonValues.number(value, "Expected numeric value type for numeric attribute: " + key + ". Found ");
                ExperimentColumn column = key.equals("creation_time") ? ExperimentColumn.CREATION_TIME : ExperimentColumn.LAST_UPDATE_TIME;
                yield new ExperimentPredicate.TimeComparison(column, ComparisonValues.operator(comparison.operator(), NUMERIC), number);
            }
            default -> throw AtelierException.invalidParameter("Invalid attribute key '" + key
                    + "' specified. Valid keys are '{'name', 'creation_time', 'last_update_time'}'");
        };
    }

    private static ExperimentColumn orderColumn(String key) {
        for (ExperimentColumn column : ExperimentColumn.values()) {
            if (column.key().equals(key)) {
                return column;
            }
        }
        throw AtelierException.invalidParameter("Invalid attribute key '" + key
                + "' specified. Valid keys are '{'name', 'experiment_id', 'creation_time', 'last_update_time'}'");
    }

    /**
     * Whether the identifier names a tag rather than an attribute.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a prefix other than attribute(s) and tag(s)
     */
    private static boolean isTag(RawIdentifier identifier) {
        String entity = identifier.entity();
        if (entity == null) {
            return false;
        }
        if (!ENTITY_TYPES.contains(entity)) {
            throw AtelierException.invalidParameter("Invalid entity type '" + entity
                    + "'. Valid entity types are ('attribute', 'attributes', 'tag', 'tags')");
        }
        return entity.startsWith("tag");
    }
}
