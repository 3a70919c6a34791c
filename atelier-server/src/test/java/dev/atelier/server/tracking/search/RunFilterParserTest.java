package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.atelier.server.tracking.search.ComparisonOperator.EQUAL;
import static dev.atelier.server.tracking.search.ComparisonOperator.GREATER;
import static dev.atelier.server.tracking.search.ComparisonOperator.GREATER_OR_EQUAL;
import static dev.atelier.server.tracking.search.ComparisonOperator.ILIKE;
import static dev.atelier.server.tracking.search.ComparisonOperator.IN;
import static dev.atelier.server.tracking.search.ComparisonOperator.LESS_OR_EQUAL;
import static dev.atelier.server.tracking.search.ComparisonOperator.LIKE;
import static dev.atelier.server.tracking.search.ComparisonOperator.NOT_EQUAL;
import static dev.atelier.server.tracking.search.ComparisonOperator.NOT_IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunFilterParserTest {
    @Test
    void emptyFilterHasNoPredicates() {
        assertThat(RunFilterParser.parse(null)).isEmpty();
        assertThat(RunFilterParser.parse("  ")).isEmpty();
    }

    @Test
    void everyMetricPrefixAndNumberFormIsAccepted() {
        assertThat(RunFilterParser.parse("metrics.acc > 0.5 and metric.loss <= -1e-3 AND metrics.n = 7 aNd metrics.x != .5"))
                .containsExactly(
                        new RunPredicate.MetricComparison("acc", GREATER, 0.5),
                        new RunPredicate.MetricComparison("loss", LESS_OR_EQUAL, -0.001),
                        new RunPredicate.MetricComparison("n", EQUAL, 7),
                        new RunPredicate.MetricComparison("x", NOT_EQUAL, 0.5));
    }

    @Test
    void everyParamPrefixIsAccepted() {
        for (String prefix : List.of("params", "param", "parameter", "parameters")) {
            assertThat(RunFilterParser.parse(prefix + ".lr = '0.01'"))
                    .containsExactly(new RunPredicate.ParamComparison("lr", EQUAL, "0.01"));
        }
    }

    @Test
    void tagsTakeLikeAndIlikeInAnyCaseAndDottedKeys() {
        assertThat(RunFilterParser.parse("tags.mlflow.runName like 'a%' and tag.team ILike \"ML\""))
                .containsExactly(
                        new RunPredicate.TagComparison("mlflow.runName", LIKE, "a%"),
                        new RunPredicate.TagComparison("team", ILIKE, "ML"));
    }

    @Test
    void keysMayBeQuotedWithBackticksOrDoubleQuotes() {
        assertThat(RunFilterParser.parse("metrics.\"my metric\" >= 1 and params.`a b` = 'x' and `tags`.`k-1` != 'it''s'"))
                .containsExactly(
                        new RunPredicate.MetricComparison("my metric", GREATER_OR_EQUAL, 1),
                        new RunPredicate.ParamComparison("a b", EQUAL, "x"),
                        new RunPredicate.TagComparison("k-1", NOT_EQUAL, "it's"));
    }

    @Test
    void attributesWithPrefixOrBareAndAliases() {
        assertThat(RunFilterParser.parse("status = 'FINISHED' and attributes.run_name = 'a' and attr.user_id != 'b' "
                + "and run.artifact_uri LIKE 's3://%' and attribute.start_time > 1000 and created < 5 and end_time <= 2.5 "
                + "and \"Run Name\" ILIKE 'x%'"))
                .containsExactly(
                        new RunPredicate.StringAttributeComparison(RunAttribute.STATUS, EQUAL, List.of("FINISHED")),
                        new RunPredicate.StringAttributeComparison(RunAttribute.RUN_NAME, EQUAL, List.of("a")),
                        new RunPredicate.StringAttributeComparison(RunAttribute.USER_ID, NOT_EQUAL, List.of("b")),
                        new RunPredicate.StringAttributeComparison(RunAttribute.ARTIFACT_URI, LIKE, List.of("s3://%")),
                        new RunPredicate.NumericAttributeComparison(RunAttribute.START_TIME, GREATER, 1000L),
                        new RunPredicate.NumericAttributeComparison(RunAttribute.START_TIME, ComparisonOperator.LESS, 5L),
                        new RunPredicate.NumericAttributeComparison(RunAttribute.END_TIME, LESS_OR_EQUAL, 2.5),
                        new RunPredicate.StringAttributeComparison(RunAttribute.RUN_NAME, ILIKE, List.of("x%")));
    }

    @Test
    void runIdTakesInAndNotInLists() {
        assertThat(RunFilterParser.parse("attributes.run_id IN ('a1', \"b2\") and run_id not  in ('c3')"))
                .containsExactly(
                        new RunPredicate.StringAttributeComparison(RunAttribute.RUN_ID, IN, List.of("a1", "b2")),
                        new RunPredicate.StringAttributeComparison(RunAttribute.RUN_ID, NOT_IN, List.of("c3")));
    }

    @Test
    void datasetsTakeNameDigestAndContextWithLists() {
        assertThat(RunFilterParser.parse("datasets.name IN ('train', 'eval') and dataset.digest = 'abc' and datasets.context != 'x'"))
                .containsExactly(
                        new RunPredicate.DatasetComparison(DatasetField.NAME, IN, List.of("train", "eval")),
                        new RunPredicate.DatasetComparison(DatasetField.DIGEST, EQUAL, List.of("abc")),
                        new RunPredicate.DatasetComparison(DatasetField.CONTEXT, NOT_EQUAL, List.of("x")));
    }

    @Test
    void invalidComparatorIsReportedAsMlflowDoes() {
        assertInvalid("metrics.acc >>> 0.5 and",
                "Invalid comparator '>>>' not one of '{'=', '>', '<', '>=', '!=', '<='}");
        assertInvalid("params.lr > '1'", "Invalid comparator '>' not one of '{'=', '!=', 'LIKE', 'ILIKE'}");
        assertInvalid("status < 'a'", "Invalid comparator '<' not one of '{'=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}");
        assertInvalid("start_time LIKE 5", "Invalid comparator 'LIKE' not one of '{'=', '>', '<', '>=', '!=', '<='}");
        assertInvalid("tags.a NOT LIKE 'x'", "Invalid comparator 'NOT LIKE'");
    }

    @Test
    void valuesOfTheWrongKindAreRejected() {
        assertInvalid("metrics.acc > '0.5'", "Expected numeric value type for metric. Found '0.5'");
        assertInvalid("params.lr = 1", "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1");
        assertInvalid("tags.a = FINISHED", "Parameter value is either not quoted or unidentified quote types used for string value FINISHED");
        assertInvalid("start_time > 'x'", "Expected numeric value type for numeric attribute: start_time. Found 'x'");
        assertInvalid("status IN ('A')", "Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        assertInvalid("params.lr IN ('a')", "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('a')");
        assertInvalid("run_id IN 'a'", "The comparator 'IN' needs a parenthesized list");
        assertInvalid("run_id = ('a')", "A list of values needs the comparator 'IN' or 'NOT IN', not '='");
        assertInvalid("run_id IN ()", "expected a non-empty list of string values, but got empty list");
        assertInvalid("run_id IN ('a', 1)", "but got ill-formed list");
    }

    @Test
    void unknownIdentifiersAreRejected() {
        assertInvalid("foo.acc > 1", "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']");
        assertInvalid("acc > 1", "Invalid attribute key 'acc' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id'");
        assertInvalid("datasets.size = 'a'", "Invalid dataset key 'size' specified. Valid keys are '{'name', 'digest', 'context'}'");
    }

    @Test
    void onlyComparisonsJoinedByAndAreAccepted() {
        assertInvalid("metrics.a > 1 OR metrics.b > 1",
                "Invalid clause(s) in filter string: 'OR metrics.b > 1'. Comparisons can only be joined with AND");
        assertInvalid("metrics.a > 1 metrics.b > 1", "Invalid clause(s) in filter string: 'metrics.b > 1'");
        assertInvalid("metrics.a > 1 and", "Invalid filter 'metrics.a > 1 and'. Could not be parsed: expected an identifier");
        assertInvalid("metrics.a", "Could not be parsed: expected a comparator at position 9.");
        assertInvalid("metrics.a =", "Could not be parsed: expected a value");
        assertInvalid("params.a = 'open", "Could not be parsed: unterminated quoted text at position 11.");
        assertInvalid("metrics. > 1", "Could not be parsed: expected a key after 'metrics.'");
        assertInvalid("(metrics.a > 1)", "Could not be parsed: expected an identifier");
    }

    static void assertInvalid(String filter, String messagePart) {
        assertThatThrownBy(() -> RunFilterParser.parse(filter))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(messagePart);
    }
}
