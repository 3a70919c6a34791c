package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.List;

import static dev.atelier.server.tracking.search.ComparisonOperator.NUMERIC;
import static dev.atelier.server.tracking.search.ComparisonOperator.STRING;
import static dev.atelier.server.tracking.search.ComparisonOperator.STRING_OR_LIST;

/**
 * Parses the filter of MLflow's runs/search into predicates, following MLflow's
 * {@code SearchUtils} (mlflow/utils/search_utils.py): the value's kind is checked before the
 * comparator, and the messages are MLflow's. Thread-safe (stateless).
 */
final class RunFilterParser {
    private RunFilterParser() {
    }

    /**
     * The predicates of {@code filter}; empty for a null or blank filter.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the first problem found
     */
    static List<RunPredicate> parse(String filter) {
        return SearchSyntax.parseFilter(filter, RunFilterParser::predicate);
    }

    private static RunPredicate predicate(RawComparison comparison) {
        RawIdentifier identifier = comparison.identifier();
        RawValue value = comparison.value();
        String key = identifier.key();
        return switch (RunEntity.of(identifier)) {
            case METRIC -> {
                double number = ComparisonValues.decimal(value, "Expected numeric value type for metric. Found ");
                yield new RunPredicate.MetricComparison(key, ComparisonValues.operator(comparison.operator(), NUMERIC), number);
            }
            case PARAMETER -> {
                String text = ComparisonValues.text(value, quotedValueExpected("parameter"));
                yield new RunPredicate.ParamComparison(key, ComparisonValues.operator(comparison.operator(), STRING), text);
            }
            case TAG -> {
                String text = ComparisonValues.text(value, quotedValueExpected("tag"));
                yield new RunPredicate.TagComparison(key, ComparisonValues.operator(comparison.operator(), STRING), text);
            }
            case ATTRIBUTE -> attributePredicate(comparison);
            case DATASET -> {
                DatasetField field = DatasetField.of(key);
                List<String> texts = ComparisonValues.texts(value,
                        "Expected a quoted string value for dataset attributes. Got value ", null);
                ComparisonOperator operator = ComparisonValues.operator(comparison.operator(), STRING_OR_LIST);
                ComparisonValues.requireListOnlyWithIn(operator, value);
                yield new RunPredicate.DatasetComparison(field, operator, texts);
            }
        };
    }

    private static RunPredicate attributePredicate(RawComparison comparison) {
        String key = comparison.identifier().key();
        RawValue value = comparison.value();
        RunAttribute attribute = RunAttribute.forFilterKey(key).orElseThrow(() -> AtelierException.invalidParameter(
                "Invalid attribute key '" + key + "' specified. Valid keys are '" + RunAttribute.describeKeys(true) + "'"));
        if (attribute.isNumeric()) {
            Number number = ComparisonValues.number(value, "Expected numeric value type for numeric attribute: " + key + ". Found ");
            return new RunPredicate.NumericAttributeComparison(attribute, ComparisonValues.operator(comparison.operator(), NUMERIC), number);
        }
        String listMessage = attribute == RunAttribute.RUN_ID
                ? null
                : "Only the 'run_id' attribute supports comparison with a list of quoted string values.";
        List<String> texts = ComparisonValues.texts(value, "Expected a quoted string value for attributes. Got value ", listMessage);
        ComparisonOperator operator = ComparisonValues.operator(comparison.operator(), STRING_OR_LIST);
        ComparisonValues.requireListOnlyWithIn(operator, value);
        return new RunPredicate.StringAttributeComparison(attribute, operator, texts);
    }

    private static String quotedValueExpected(String entity) {
        return "Expected a quoted string value for " + entity + " (e.g. 'my-value'). Got value ";
    }
}
