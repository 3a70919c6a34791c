package dev.atelier.server.web.tracking;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the runs table's filter box reads a bare word and a key written without its kind. */
class FilterHelpTest {
    @Test
    void aBareWordSearchesRunNamesAndAFilterIsKeptAsTyped() {
        FilterHelp.Reading word = FilterHelp.read("  resnet ");
        assertThat(word.filter()).isEqualTo("attributes.run_name LIKE '%resnet%'");
        assertThat(word.note()).hasValueSatisfying(note -> assertThat(note).contains("resnet"));
        assertThat(FilterHelp.read("o'brien run").filter()).isEqualTo("attributes.run_name LIKE \"%o'brien run%\"");
        assertThat(FilterHelp.read("metrics.accuracy > 0.9").filter()).isEqualTo("metrics.accuracy > 0.9");
        assertThat(FilterHelp.read("attributes.run_name LIKE 'a%'").note()).isEmpty();
        assertThat(FilterHelp.read("").filter()).isEmpty();
    }

    @Test
    void aKeyWithoutItsKindIsQualifiedByTheKindTheRunsHave() {
        assertThat(FilterHelp.hasUnqualifiedKey("accuracy > 0.9")).isTrue();
        assertThat(FilterHelp.hasUnqualifiedKey("metrics.accuracy > 0.9 and status = 'FINISHED'")).isFalse();
        assertThat(FilterHelp.hasUnqualifiedKey("params.model = 'loss > 1'")).isFalse();
        assertThat(FilterHelp.qualified("accuracy > 0.9", Map.of())).hasValue("metrics.accuracy > 0.9");
        assertThat(FilterHelp.qualified("optimizer = 'adam' and accuracy >= 0.5", Map.of("optimizer", "params")))
                .hasValue("params.optimizer = 'adam' and metrics.accuracy >= 0.5");
        assertThat(FilterHelp.qualified("team = 'vision'", Map.of("team", "tags"))).hasValue("tags.team = 'vision'");
        assertThat(FilterHelp.qualified("model = 'cnn'", Map.of())).hasValue("params.model = 'cnn'");
        assertThat(FilterHelp.qualified("metrics.loss < 1 and run_name = 'x'", Map.of())).isEqualTo(Optional.empty());
    }
}
