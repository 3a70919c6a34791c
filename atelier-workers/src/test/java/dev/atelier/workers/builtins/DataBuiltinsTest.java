package dev.atelier.workers.builtins;

import dev.atelier.workers.table.TableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.atelier.workers.builtins.BuiltinFixtures.csv;
import static dev.atelier.workers.builtins.BuiltinFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table components, each on its own, run in-process as their component's command runs them. */
class DataBuiltinsTest {
    @TempDir
    Path folder;

    private Path out(String name) {
        return folder.resolve(name);
    }

    @Test
    void importDataCopiesOneFileOrAFolderOfFilesIntoATableFolder() throws Exception {
        Path file = Files.writeString(folder.resolve("raw.csv"), "a,b\n1,2\n3,4\n");
        Builtins.run("import_data", "--file", file.toString(), "--output", out("one").toString());
        assertThat(rows(out("one"))).containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
        assertThat(out("one").resolve("data.csv")).exists();
        Path parts = Files.createDirectories(folder.resolve("parts"));
        Files.writeString(parts.resolve("1.csv"), "a,b\n1,2\n");
        Files.writeString(parts.resolve("2.csv"), "a,b\n5,6\n");
        Builtins.run("import_data", "--folder", parts.toString(), "--output", out("two").toString());
        assertThat(rows(out("two"))).hasSize(3).last().isEqualTo(List.of("5", "6"));
        assertThatThrownBy(() -> Builtins.run("import_data", "--output", out("none").toString()))
                .isInstanceOf(TableException.class).hasMessageContaining("bind either the input 'data'");
    }

    @Test
    void selectColumnsKeepsTheNamedColumnsInTheirOrder() throws Exception {
        Path table = csv(folder, "in", "a,b,c\n1,2,3\n4,5,6\n");
        Builtins.run("select_columns", "--input", table.toString(), "--columns", "c, a", "--output", out("o").toString());
        assertThat(rows(out("o"))).containsExactly(List.of("c", "a"), List.of("3", "1"), List.of("6", "4"));
        assertThatThrownBy(() -> Builtins.run("select_columns", "--input", table.toString(), "--columns", "z", "--output", out("x").toString()))
                .hasMessageContaining("no column 'z'");
    }

    @Test
    void unknownOptionsAndComponentsAreRefused() throws Exception {
        Path table = csv(folder, "in", "a\n1\n");
        assertThatThrownBy(() -> Builtins.run("select_columns", "--input", table.toString(), "--columns", "a", "--output", out("o").toString(),
                "--colums", "a")).hasMessageContaining("unknown options: --colums");
        assertThatThrownBy(() -> Builtins.run("nope")).hasMessageContaining("unknown component 'nope'").hasMessageContaining("split_data");
    }

    @Test
    void cleanMissingDataRemovesRowsOrReplacesByValueMeanMedianAndMode() throws Exception {
        Path table = csv(folder, "in", "a,b\n1,x\n,y\n3,\n8,y\n");
        Builtins.run("clean_missing_data", "--input", table.toString(), "--mode", "remove_row", "--output", out("r").toString());
        assertThat(rows(out("r"))).containsExactly(List.of("a", "b"), List.of("1", "x"), List.of("8", "y"));
        Builtins.run("clean_missing_data", "--input", table.toString(), "--columns", "a", "--mode", "replace_mean", "--output", out("m").toString());
        assertThat(rows(out("m")).get(2)).containsExactly("4", "y");
        assertThat(rows(out("m")).get(3)).containsExactly("3", "");
        Builtins.run("clean_missing_data", "--input", table.toString(), "--columns", "a", "--mode", "replace_median", "--output", out("d").toString());
        assertThat(rows(out("d")).get(2)).containsExactly("3", "y");
        Builtins.run("clean_missing_data", "--input", table.toString(), "--columns", "b", "--mode", "replace_mode", "--output", out("o").toString());
        assertThat(rows(out("o")).get(3)).containsExactly("3", "y");
        Builtins.run("clean_missing_data", "--input", table.toString(), "--mode", "replace_value", "--value", "0", "--output", out("v").toString());
        assertThat(rows(out("v")).get(2)).containsExactly("0", "y");
        assertThatThrownBy(() -> Builtins.run("clean_missing_data", "--input", table.toString(), "--columns", "b", "--mode", "replace_mean",
                "--output", out("bad").toString())).hasMessageContaining("column 'b' holds 'x' in row 1, which is not a number");
        assertThatThrownBy(() -> Builtins.run("clean_missing_data", "--input", table.toString(), "--mode", "guess", "--output", out("g").toString()))
                .hasMessageContaining("expected one of remove_row");
    }

    @Test
    void splitDataRandomTakesExactlyTheFractionReproduciblyAndKeepsEveryRowOnce() throws Exception {
        StringBuilder text = new StringBuilder("id\n");
        for (int i = 0; i < 100; i++) {
            text.append(i).append('\n');
        }
        Path table = csv(folder, "in", text.toString());
        Builtins.run("split_data", "--input", table.toString(), "--fraction", "0.3", "--seed", "7", "--output1", out("a").toString(),
                "--output2", out("b").toString());
        Builtins.run("split_data", "--input", table.toString(), "--fraction", "0.3", "--seed", "7", "--output1", out("c").toString(),
                "--output2", out("d").toString());
        assertThat(rows(out("a"))).hasSize(31);
        assertThat(rows(out("b"))).hasSize(71);
        assertThat(rows(out("c"))).isEqualTo(rows(out("a")));
        assertThat(rows(out("a")).subList(1, 31)).doesNotContainAnyElementsOf(rows(out("b")).subList(1, 71));
    }

    @Test
    void splitDataStratifiedKeepsEachClassProportion() throws Exception {
        StringBuilder text = new StringBuilder("id,class\n");
        for (int i = 0; i < 100; i++) {
            text.append(i).append(',').append(i < 80 ? "common" : "rare").append('\n');
        }
        Path table = csv(folder, "in", text.toString());
        Builtins.run("split_data", "--input", table.toString(), "--mode", "stratified", "--stratify_column", "class", "--fraction", "0.5",
                "--output1", out("a").toString(), "--output2", out("b").toString());
        assertThat(rows(out("a")).stream().filter(row -> row.get(1).equals("rare")).count()).isEqualTo(10);
        assertThat(rows(out("a")).stream().filter(row -> row.get(1).equals("common")).count()).isEqualTo(40);
        assertThatThrownBy(() -> Builtins.run("split_data", "--input", table.toString(), "--mode", "stratified",
                "--output1", out("x").toString(), "--output2", out("y").toString())).hasMessageContaining("needs 'stratify_column'");
    }

    @Test
    void splitDataByExpressionComparesNumbersAndText() throws Exception {
        Path table = csv(folder, "in", "age,city\n25,Paris\n40,Lyon\n,Paris\n35,Paris\n");
        Builtins.run("split_data", "--input", table.toString(), "--mode", "expression", "--expression", "age > 30 and city == 'Paris'",
                "--output1", out("a").toString(), "--output2", out("b").toString());
        assertThat(rows(out("a"))).containsExactly(List.of("age", "city"), List.of("35", "Paris"));
        assertThat(rows(out("b"))).hasSize(4);
        Builtins.run("split_data", "--input", table.toString(), "--mode", "expression", "--expression", "city != Paris or age <= 25",
                "--output1", out("c").toString(), "--output2", out("d").toString());
        assertThat(rows(out("c"))).containsExactly(List.of("age", "city"), List.of("25", "Paris"), List.of("40", "Lyon"));
        assertThatThrownBy(() -> Builtins.run("split_data", "--input", table.toString(), "--mode", "expression", "--expression", "age",
                "--output1", out("e").toString(), "--output2", out("f").toString())).hasMessageContaining("is not a comparison");
    }

    @Test
    void normalizeDataRescalesNumericColumnsByZscoreOrMinmax() throws Exception {
        Path table = csv(folder, "in", "x,name,c\n1,a,5\n3,b,5\n,c,5\n5,d,5\n");
        Builtins.run("normalize_data", "--input", table.toString(), "--method", "minmax", "--output", out("m").toString());
        assertThat(rows(out("m"))).containsExactly(List.of("x", "name", "c"), List.of("0", "a", "0"), List.of("0.5", "b", "0"),
                List.of("", "c", "0"), List.of("1", "d", "0"));
        Builtins.run("normalize_data", "--input", table.toString(), "--method", "zscore", "--columns", "x", "--output", out("z").toString());
        double sd = Math.sqrt(8.0 / 3);
        assertThat(Double.parseDouble(rows(out("z")).get(1).get(0))).isCloseTo(-2 / sd, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(rows(out("z")).get(2).get(0)).isEqualTo("0");
        assertThatThrownBy(() -> Builtins.run("normalize_data", "--input", table.toString(), "--columns", "name", "--output", out("n").toString()))
                .hasMessageContaining("column 'name' holds 'a'");
    }

    @Test
    void editMetadataRenamesAndConvertsTypes() throws Exception {
        Path table = csv(folder, "in", "a,b,c\n1.6,yes,z\n,0,z\n");
        Builtins.run("edit_metadata", "--input", table.toString(), "--columns", "a", "--new_names", "alpha", "--type", "integer",
                "--output", out("i").toString());
        assertThat(rows(out("i"))).containsExactly(List.of("alpha", "b", "c"), List.of("2", "yes", "z"), List.of("", "0", "z"));
        Builtins.run("edit_metadata", "--input", table.toString(), "--columns", "b", "--type", "boolean", "--output", out("b").toString());
        assertThat(rows(out("b")).subList(1, 3)).extracting(row -> row.get(1)).containsExactly("true", "false");
        assertThatThrownBy(() -> Builtins.run("edit_metadata", "--input", table.toString(), "--columns", "c", "--type", "float",
                "--output", out("f").toString())).hasMessageContaining("column 'c' holds 'z' in row 1");
        assertThatThrownBy(() -> Builtins.run("edit_metadata", "--input", table.toString(), "--columns", "a,b", "--new_names", "c,x",
                "--output", out("d").toString())).hasMessageContaining("two columns of the same name");
    }

    @Test
    void joinDataInnerAndLeftOnKeys() throws Exception {
        Path left = csv(folder, "left", "id,v\n1,a\n2,b\n3,c\n,d\n");
        Path right = csv(folder, "right", "key,v,w\n1,x,10\n3,y,30\n3,z,31\n");
        Builtins.run("join_data", "--left", left.toString(), "--right", right.toString(), "--left_keys", "id", "--right_keys", "key",
                "--output", out("inner").toString());
        assertThat(rows(out("inner"))).containsExactly(List.of("id", "v", "v_right", "w"), List.of("1", "a", "x", "10"),
                List.of("3", "c", "y", "30"), List.of("3", "c", "z", "31"));
        Builtins.run("join_data", "--left", left.toString(), "--right", right.toString(), "--left_keys", "id", "--right_keys", "key",
                "--mode", "left", "--output", out("left").toString());
        assertThat(rows(out("left"))).hasSize(6).contains(List.of("2", "b", "", ""), List.of("", "d", "", ""));
    }
}
