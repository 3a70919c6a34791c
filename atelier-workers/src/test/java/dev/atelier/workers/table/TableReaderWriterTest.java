package dev.atelier.workers.table;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableReaderWriterTest {
    @TempDir
    Path folder;

    @Test
    void writtenRowsReadBackWithQuotesAndMissingValues() {
        try (TableWriter writer = TableWriter.create(folder.resolve("t"), List.of("a", "b c", "d"))) {
            writer.write(new String[] {"1", "x, \"y\"", ""});
            writer.write(new String[] {"two\nlines", " padded ", "3"});
        }
        try (TableReader reader = TableReader.open(folder.resolve("t"))) {
            assertThat(reader.columns()).containsExactly("a", "b c", "d");
            assertThat(reader.next()).containsExactly("1", "x, \"y\"", "");
            assertThat(reader.next()).containsExactly("two\nlines", " padded ", "3");
            assertThat(reader.next()).isNull();
            assertThat(reader.rowNumber()).isEqualTo(2);
        }
    }

    @Test
    void folderOfCsvFilesIsOneTableAndShortRowsArePadded() throws Exception {
        Files.writeString(folder.resolve("part-1.csv"), "x,y\n1,2\n3\n");
        Files.writeString(folder.resolve("part-2.csv"), "x,y\n5,6\n");
        try (TableReader reader = TableReader.open(folder)) {
            assertThat(reader.readAll()).containsExactly(new String[] {"1", "2"}, new String[] {"3", ""}, new String[] {"5", "6"});
        }
    }

    @Test
    void filesWithAnotherHeaderLongRowsAndUnknownColumnsAreRefused() throws Exception {
        Files.writeString(folder.resolve("a.csv"), "x,y\n1,2\n");
        Files.writeString(folder.resolve("b.csv"), "x,z\n1,2\n");
        try (TableReader reader = TableReader.open(folder)) {
            reader.next();
            assertThatThrownBy(reader::next).isInstanceOf(TableException.class).hasMessageContaining("share their header");
            assertThatThrownBy(() -> reader.indexOf("nope")).hasMessageContaining("no column 'nope'").hasMessageContaining("x, y");
        }
        Path wide = Files.writeString(folder.resolve("wide.txt"), "x\n1,2\n");
        try (TableReader reader = TableReader.open(wide)) {
            assertThatThrownBy(reader::next).hasMessageContaining("row 1").hasMessageContaining("2 values for 1 columns");
        }
        assertThatThrownBy(() -> TableReader.open(folder.resolve("missing"))).hasMessageContaining("does not exist");
    }

    @Test
    void crlfLinesEmptyLinesQuotedQuotesAndAnUnclosedQuote() throws Exception {
        Path file = Files.writeString(folder.resolve("crlf.csv"), "a,b\r\n\r\n\"say \"\"hi\"\"\",\r\n,\"x\ny\"\r\n");
        try (TableReader reader = TableReader.open(file)) {
            assertThat(reader.readAll()).containsExactly(new String[] {"say \"hi\"", ""}, new String[] {"", "x\ny"});
        }
        Path broken = Files.writeString(folder.resolve("broken.csv"), "a\n\"open\n");
        try (TableReader reader = TableReader.open(broken)) {
            assertThatThrownBy(reader::next).isInstanceOf(TableException.class).hasMessageContaining("is not a readable CSV file");
        }
    }

    @Test
    void numbersAreParsedAndWrittenCompactly() {
        assertThat(Values.parse("")).isNaN();
        assertThat(Values.parse("abc")).isNull();
        assertThat(Values.parse("-1.5e3")).isEqualTo(-1500.0);
        assertThat(Values.format(3.0)).isEqualTo("3");
        assertThat(Values.format(0.25)).isEqualTo("0.25");
        assertThat(Values.format(Double.NaN)).isEmpty();
        assertThatThrownBy(() -> Values.number("x", "age", 4)).hasMessageContaining("column 'age' holds 'x' in row 4");
    }
}
