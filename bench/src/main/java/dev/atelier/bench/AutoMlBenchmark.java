package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * AutoML against default baselines (issue 16, "Measured") on the tables Debian's scikit-learn ships
 * ({@code python3-sklearn}: iris, wine, breast_cancer, digits, diabetes). Each table is split once, 75 % / 25 % with
 * seed 0; on the same split run (each as the job runs it: {@code java dev.atelier.workers.automl.AutoMlMain} in a new
 * JVM, timed with bash's {@code time}) AutoML with {@code timeout_minutes} of {@code --budget-minutes} (5-fold
 * cross-validation, 2 cores as two trials at a time of one thread each: XGBoost's OpenMP threads wait on each other
 * for minutes on an oversubscribed machine), a default XGBoost and a default random forest (each the search's
 * first trial of that learner alone, its default configuration, refitted on the training rows). The score is the
 * primary metric (accuracy, r2 for diabetes) of the final model on the held-out 25 %. Prints a markdown table.
 * Options: {@code --budget-minutes M} (default 5), {@code --datasets a,b}, {@code --work-dir DIR}.
 */
public final class AutoMlBenchmark {
    private static final Path DATA = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AutoMlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double budget = 5;
        List<String> datasets = List.of("iris", "wine", "breast_cancer", "digits", "diabetes");
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--budget-minutes" -> budget = Double.parseDouble(args[++i]);
                case "--datasets" -> datasets = List.of(args[++i].split(","));
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--budget-minutes M, --datasets a,b, --work-dir DIR)");
            }
        }
        if (!Files.isRegularFile(DATA.resolve("iris.csv"))) {
            throw new IllegalStateException(DATA + " is missing: install Debian's python3-sklearn");
        }
        work = work == null ? Files.createTempDirectory("automl-bench") : Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "load average %.1f, %d cores; budget %s min%n%n", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors(), budget);
        System.out.println("| dataset | rows train/test | metric (test) | AutoML | AutoML best | wall s | CPU s | XGBoost default | wall s | random forest default | wall s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String dataset : datasets) {
            Path folder = Files.createDirectories(work.resolve(dataset));
            boolean regression = dataset.equals("diabetes");
            int[] sizes = split(dataset, folder);
            String metric = regression ? "r2_score" : "accuracy";
            String[] automl = run(folder, "automl", spec(folder, regression, Map.of("timeout_minutes", budget, "max_trials", 1000,
                    "max_concurrent_trials", 2, "max_cores_per_trial", 1), null, 5));
            String[] xgboost = run(folder, "xgboost", spec(folder, regression, Map.of("max_trials", 1, "max_cores_per_trial", 1),
                    regression ? "XGBoostRegressor" : "XGBoostClassifier", 2));
            String[] forest = run(folder, "forest", spec(folder, regression, Map.of("max_trials", 1, "max_cores_per_trial", 1),
                    "RandomForest", 2));
            System.out.printf(Locale.ROOT, "| %s | %d/%d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", dataset, sizes[0], sizes[1], metric,
                    automl[0], automl[3], automl[1], automl[2], xgboost[0], xgboost[1], forest[0], forest[1]);
        }
    }

    /** The job's settings; {@code only} restricts the search to one learner (a baseline: its default configuration, no ensembles). */
    private static Map<String, Object> spec(Path folder, boolean regression, Map<String, Object> limits, String only, int folds) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("task", regression ? "regression" : "classification");
        spec.put("target_column_name", "target");
        spec.put("primary_metric", regression ? "r2_score" : "accuracy");
        spec.put("training_data", folder.resolve("train.csv").toString());
        spec.put("test_data", folder.resolve("test.csv").toString());
        spec.put("n_cross_validations", folds);
        spec.put("seed", 0);
        spec.put("limits", limits);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("enable_model_explainability", false);
        if (only != null) {
            training.put("allowed_training_algorithms", List.of(only));
            training.put("enable_vote_ensemble", false);
            training.put("enable_stack_ensemble", false);
        }
        spec.put("training", training);
        return spec;
    }

    /** Runs AutoMlMain in a new JVM; answers the test score, wall s, CPU s and the best algorithm. */
    private static String[] run(Path folder, String name, Map<String, Object> spec) throws IOException, InterruptedException {
        Path specFile = folder.resolve(name + "-spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        Path outputs = folder.resolve(name + "-outputs");
        List<String> command = new ArrayList<>(List.of("bash", "-c", "TIMEFORMAT='cpu %U %S'; time \"$@\"", "time",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "dev.atelier.workers.automl.AutoMlMain",
                "--spec", specFile.toString(), "--outputs", outputs.toString()));
        Path log = folder.resolve(name + ".log");
        Path errors = folder.resolve(name + ".err");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(log.toFile()).redirectError(errors.toFile()).start();
        process.getOutputStream().close();
        int exit = process.waitFor();
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = Double.NaN;
        for (String line : Files.readAllLines(errors)) {
            if (line.startsWith("cpu ")) {
                String[] parts = line.split(" ");
                cpu = Double.parseDouble(parts[1]) + Double.parseDouble(parts[2]);
            }
        }
        if (exit != 0) {
            throw new IllegalStateException(name + " on " + folder + " exited with " + exit + "; see " + log + " and " + errors);
        }
        JsonNode result = JSON.readTree(outputs.resolve("automl_result.json").toFile());
        String best = result.path("best_run_id").asText();
        JsonNode run = JSON.readTree(outputs.resolve("runs").resolve(best).resolve("run.json").toFile());
        double score = run.path("metrics").path("test_" + spec.get("primary_metric")).asDouble(Double.NaN);
        return new String[] {String.format(Locale.ROOT, "%.4f", score), String.format(Locale.ROOT, "%.0f", wall),
                String.format(Locale.ROOT, "%.0f", cpu), result.path("best_algorithm").asText() + " (" + result.path("trials").size() + " trials)"};
    }

    /** Writes train.csv and test.csv (75/25, seed 0; features x0.., column target); answers their row counts. */
    private static int[] split(String dataset, Path folder) throws IOException {
        List<String> rows = new ArrayList<>();
        int features;
        switch (dataset) {
            case "iris", "wine", "breast_cancer" -> {
                List<String> lines = Files.readAllLines(DATA.resolve(dataset.equals("wine") ? "wine_data.csv" : dataset + ".csv"));
                String[] first = lines.get(0).split(",");
                features = Integer.parseInt(first[1].trim());
                for (String line : lines.subList(1, lines.size())) {
                    if (!line.isBlank()) {
                        int last = line.lastIndexOf(',');
                        rows.add(line.substring(0, last) + "," + first[2 + Integer.parseInt(line.substring(last + 1).trim())]);
                    }
                }
            }
            case "digits" -> {
                rows.addAll(gunzip(DATA.resolve("digits.csv.gz")));
                features = 64;
            }
            case "diabetes" -> {
                List<String> x = gunzip(DATA.resolve("diabetes_data_raw.csv.gz"));
                List<String> y = gunzip(DATA.resolve("diabetes_target.csv.gz"));
                for (int i = 0; i < x.size(); i++) {
                    rows.add(String.join(",", x.get(i).trim().split("\\s+")) + "," + Double.parseDouble(y.get(i).trim()));
                }
                features = 10;
            }
            default -> throw new IllegalArgumentException("no dataset " + dataset);
        }
        List<String> header = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            header.add("x" + i);
        }
        header.add("target");
        Collections.shuffle(rows, new Random(0));
        int test = (int) Math.round(rows.size() * 0.25);
        List<String> testLines = new ArrayList<>(List.of(String.join(",", header)));
        testLines.addAll(rows.subList(0, test));
        List<String> trainLines = new ArrayList<>(List.of(String.join(",", header)));
        trainLines.addAll(rows.subList(test, rows.size()));
        Files.write(folder.resolve("train.csv"), trainLines);
        Files.write(folder.resolve("test.csv"), testLines);
        return new int[] {rows.size() - test, test};
    }

    private static List<String> gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}
