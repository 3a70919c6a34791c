package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentFilterParserTest {
    @Test
    void experimentFilterReadsAttributesAndTags() {
        assertThat(ExperimentSearchParser.parseFilter("name LIKE 'a%' and attributes.creation_time >= 10 "
                + "and attribute.last_update_time < 20 and tags.team = 'x' and tag.`k k` ILIKE 'Y'"))
                .containsExactly(
                        new ExperimentPredicate.NameComparison(ComparisonOperator.LIKE, "a%"),
                        new ExperimentPredicate.TimeComparison(ExperimentColumn.CREATION_TIME, ComparisonOperator.GREATER_OR_EQUAL, 10L),
                        new ExperimentPredicate.TimeComparison(ExperimentColumn.LAST_UPDATE_TIME, ComparisonOperator.LESS, 20L),
                        new ExperimentPredicate.TagComparison("team", ComparisonOperator.EQUAL, "x"),
                        new ExperimentPredicate.TagComparison("k k", ComparisonOperator.ILIKE, "Y"));
    }

    @Test
    void experimentFilterRejectsWhatMlflowRejects() {
        assertExperimentFilterInvalid("metrics.a > 1", "Invalid entity type 'metrics'. Valid entity types are");
        assertExperimentFilterInvalid("experiment_id = '1'", "Invalid attribute key 'experiment_id' specified.");
        assertExperimentFilterInvalid("name IN ('a')", "Expected a quoted string value for attributes. Got value ('a')");
        assertExperimentFilterInvalid("name > 'a'", "Invalid comparator '>' not one of '{'=', '!=', 'LIKE', 'ILIKE'}");
        assertExperimentFilterInvalid("creation_time LIKE 1", "Invalid comparator 'LIKE'");
        assertExperimentFilterInvalid("creation_time > 'a'", "Expected numeric value type for numeric attribute: creation_time.");
        assertExperimentFilterInvalid("tags.a = 1", "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1");
    }

    private static void assertExperimentFilterInvalid(String filter, String messagePart) {
        assertThatThrownBy(() -> ExperimentSearchParser.parseFilter(filter)).isInstanceOf(AtelierException.class)
                .hasMessageContaining(messagePart);
    }
}
