package dev.atelier.workers.automl;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The toy tables that Debian's scikit-learn package ({@code python3-sklearn}, installed by {@code .ci/run}) ships under
 * {@code sklearn/datasets/data}, written as CSV with a header and split once, with a seed, into {@code train.csv} and
 * {@code test.csv}. Without the package the test is skipped, except with {@code CI=true}, where it fails.
 */
final class SklearnData {
    static final Path FOLDER = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");

    /** A split table: its files, target column and the test rows' targets. */
    record Split(Path train, Path test, String target, List<String> testTargets) {
    }

    private SklearnData() {
    }

    /**
     * iris, wine or breast_cancer (target {@code class}, the class names) or diabetes (target {@code progression});
     * {@code testShare} of the rows go to the test file.
     */
    static Split split(String dataset, Path folder, double testShare, long seed) throws IOException {
        require();
        List<String> header = new ArrayList<>();
        List<String> rows = switch (dataset) {
            case "iris" -> classes(FOLDER.resolve("iris.csv"), header);
            case "wine" -> classes(FOLDER.resolve("wine_data.csv"), header);
            case "breast_cancer" -> classes(FOLDER.resolve("breast_cancer.csv"), header);
            case "diabetes" -> diabetes(header);
            default -> throw new IllegalArgumentException("no dataset " + dataset);
        };
        Collections.shuffle(rows, new Random(seed));
        int testRows = (int) Math.round(rows.size() * testShare);
        Files.createDirectories(folder);
        Path train = folder.resolve("train.csv");
        Path test = folder.resolve("test.csv");
        String head = String.join(",", header);
        Files.write(train, concat(head, rows.subList(testRows, rows.size())));
        Files.write(test, concat(head, rows.subList(0, testRows)));
        List<String> testTargets = rows.subList(0, testRows).stream().map(row -> row.substring(row.lastIndexOf(',') + 1)).toList();
        return new Split(train, test, header.get(header.size() - 1), testTargets);
    }

    static void require() {
        if (Files.isRegularFile(FOLDER.resolve("iris.csv"))) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(FOLDER + " is missing: .ci/run installs python3-sklearn");
        }
        Assumptions.assumeTrue(false, "Debian's python3-sklearn is not installed (" + FOLDER + ")");
    }

    /** scikit-learn's layout: a first line "rows,features,class names...", then the features and the class number. */
    private static List<String> classes(Path file, List<String> header) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] first = lines.get(0).split(",");
        int features = Integer.parseInt(first[1].trim());
        for (int i = 0; i < features; i++) {
            header.add("x" + i);
        }
        header.add("class");
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            int last = line.lastIndexOf(',');
            rows.add(line.substring(0, last) + "," + first[2 + Integer.parseInt(line.substring(last + 1).trim())]);
        }
        return rows;
    }

    /** The raw diabetes table (space separated, not scaled) and its target, a measure of progression after a year. */
    private static List<String> diabetes(List<String> header) throws IOException {
        header.addAll(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"));
        List<String> features = gunzip(FOLDER.resolve("diabetes_data_raw.csv.gz"));
        List<String> targets = gunzip(FOLDER.resolve("diabetes_target.csv.gz"));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            rows.add(String.join(",", features.get(i).trim().split("\\s+")) + "," + Double.parseDouble(targets.get(i).trim()));
        }
        return rows;
    }

    private static List<String> gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private static List<String> concat(String header, List<String> rows) {
        List<String> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
