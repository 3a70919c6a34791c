package dev.atelier.server.tracking.search;

import static java.util.Objects.requireNonNull;

/** One parsed comparison of an experiments/search filter; a filter is the conjunction of its predicates. */
sealed interface ExperimentPredicate {
    /** {@code name <op> '<text>'} with =, !=, LIKE or ILIKE. */
    record NameComparison(ComparisonOperator operator, String value) implements ExperimentPredicate {
        public NameComparison {
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code creation_time} or {@code last_update_time} compared to a number. */
    record TimeComparison(ExperimentColumn column, ComparisonOperator operator, Number value) implements ExperimentPredicate {
        public TimeComparison {
            requireNonNull(column, "column is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code tags.<key> <op> '<text>'}; an experiment without the tag never matches. */
    record TagComparison(String key, ComparisonOperator operator, String value) implements ExperimentPredicate {
        public TagComparison {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
        }
    }
}
