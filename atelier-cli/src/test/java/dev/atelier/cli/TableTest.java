package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {
    private static String print(Table table) {
        StringWriter text = new StringWriter();
        table.printTo(new PrintWriter(text, true));
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void alignsColumnsToTheWidestCellWithoutTrailingBlanks() {
        Table table = Table.withHeaders("ID", "NAME", "STAGE")
                .row("1", "a-long-experiment-name", "active")
                .row("12", "short", null);

        assertThat(print(table)).isEqualTo("""
                ID  NAME                    STAGE
                1   a-long-experiment-name  active
                12  short
                """);
    }

    @Test
    void titledSectionIndentsItsRows() {
        Table table = Table.titled("Params:", "KEY", "VALUE").row("lr", 0.01);

        assertThat(print(table)).isEqualTo("""
                Params:
                  KEY  VALUE
                  lr   0.01
                """);
        assertThat(table.isEmptySection()).isFalse();
        assertThat(Table.titled("Tags:").isEmptySection()).isTrue();
    }
}
