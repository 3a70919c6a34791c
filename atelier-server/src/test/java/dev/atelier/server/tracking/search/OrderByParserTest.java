package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderByParserTest {
    @Test
    void runOrderByReadsEveryKindAndDirection() {
        assertThat(RunOrderByParser.parse(List.of("metrics.acc DESC", "params.lr", "tags.`a b` asc",
                "attributes.start_time ASC", "run_name", "metric.\"my metric\" desc")))
                .containsExactly(
                        new RunOrdering(new RunOrdering.Metric("acc"), false),
                        new RunOrdering(new RunOrdering.Param("lr"), true),
                        new RunOrdering(new RunOrdering.Tag("a b"), true),
                        new RunOrdering(new RunOrdering.Attribute(RunAttribute.START_TIME), true),
                        new RunOrdering(new RunOrdering.Attribute(RunAttribute.RUN_NAME), true),
                        new RunOrdering(new RunOrdering.Metric("my metric"), false));
        assertThat(RunOrderByParser.parse(null)).isEmpty();
    }

    @Test
    void runOrderByRejectsBadEntries() {
        assertRunOrderByInvalid(List.of("metrics.acc DOWN"), "Invalid ordering key in order_by clause 'metrics.acc DOWN'.");
        assertRunOrderByInvalid(List.of("metrics.acc DESC x"), "Invalid order_by clause 'metrics.acc DESC x'. Could not be parsed");
        assertRunOrderByInvalid(List.of(""), "Invalid order_by clause ''. Could not be parsed.");
        assertRunOrderByInvalid(List.of("attributes.foo"), "Invalid attribute key 'foo' specified.");
        assertRunOrderByInvalid(List.of("\"run name\""), "Invalid attribute key 'run name' specified.");
        assertRunOrderByInvalid(List.of("datasets.name"), "runs cannot be ordered by dataset");
        assertRunOrderByInvalid(List.of("start_time", "created DESC"),
                "`order_by` contains duplicate fields: ['start_time', 'created DESC']");
    }

    @Test
    void experimentOrderByDefaultsAndTieBreaker() {
        assertThat(ExperimentSearchParser.parseOrderBy(List.of())).containsExactly(
                new ExperimentOrdering(ExperimentColumn.CREATION_TIME, false),
                new ExperimentOrdering(ExperimentColumn.EXPERIMENT_ID, true));
        assertThat(ExperimentSearchParser.parseOrderBy(List.of("name", "attribute.last_update_time DESC"))).containsExactly(
                new ExperimentOrdering(ExperimentColumn.NAME, true),
                new ExperimentOrdering(ExperimentColumn.LAST_UPDATE_TIME, false),
                new ExperimentOrdering(ExperimentColumn.EXPERIMENT_ID, false));
        assertThat(ExperimentSearchParser.parseOrderBy(List.of("experiment_id ASC"))).containsExactly(
                new ExperimentOrdering(ExperimentColumn.EXPERIMENT_ID, true));
    }

    @Test
    void experimentOrderByRejectsTagsAndUnknownKeys() {
        assertThatThrownBy(() -> ExperimentSearchParser.parseOrderBy(List.of("tags.a")))
                .isInstanceOf(AtelierException.class).hasMessage("Invalid order_by entity: tag");
        assertThatThrownBy(() -> ExperimentSearchParser.parseOrderBy(List.of("artifact_location")))
                .isInstanceOf(AtelierException.class).hasMessageContaining("Invalid attribute key 'artifact_location' specified.");
    }

    private static void assertRunOrderByInvalid(List<String> orderBy, String messagePart) {
        assertThatThrownBy(() -> RunOrderByParser.parse(orderBy)).isInstanceOf(AtelierException.class).hasMessageContaining(messagePart);
    }
}
