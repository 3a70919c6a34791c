package dev.atelier.server.tracking.search;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** One parsed comparison of a run filter; a filter is the conjunction of its predicates. */
sealed interface RunPredicate {
    ComparisonOperator operator();

    /** {@code metrics.<key> <op> <number>} on the run's latest value of the metric. */
    record MetricComparison(String key, ComparisonOperator operator, double value) implements RunPredicate {
        public MetricComparison {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
        }
    }

    /** {@code params.<key> <op> '<text>'}. */
    record ParamComparison(String key, ComparisonOperator operator, String value) implements RunPredicate {
        public ParamComparison {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code tags.<key> <op> '<text>'}. */
    record TagComparison(String key, ComparisonOperator operator, String value) implements RunPredicate {
        public TagComparison {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
        }
    }

    /** A string attribute compared to one text, or to a list for IN and NOT IN. */
    record StringAttributeComparison(RunAttribute attribute, ComparisonOperator operator, List<String> values)
            implements RunPredicate {
        public StringAttributeComparison {
            requireNonNull(attribute, "attribute is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(values);
        }
    }

    /** A time attribute compared to a number (a Long, or a Double when written with a fraction). */
    record NumericAttributeComparison(RunAttribute attribute, ComparisonOperator operator, Number value)
            implements RunPredicate {
        public NumericAttributeComparison {
            requireNonNull(attribute, "attribute is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
        }
    }

    /** Matches a run when any of its dataset inputs satisfies the comparison. */
    record DatasetComparison(DatasetField field, ComparisonOperator operator, List<String> values)
            implements RunPredicate {
        public DatasetComparison {
            requireNonNull(field, "field is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(values);
        }
    }
}
