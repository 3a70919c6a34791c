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
 * ({@code python3-sklearn}: iris, wine, breast_cancer, digits, diabetes). Protocol: repeated stratified k-fold over the
 * whole table (plain k-fold for diabetes, a regression), the same folds for every method: for repeat r the rows are
 * shuffled with {@code java.util.Random(r)}, dealt class by class round-robin into k folds, and each fold is the test
 * set once, the other k-1 the training set. On each fold run (each as the job runs it: {@code java
 * dev.atelier.workers.automl.AutoMlMain} in a new JVM, timed with bash's {@code time}) AutoML with {@code
 * timeout_minutes} of {@code --budget-minutes} (5-fold cross-validation inside, 2 cores as two trials at a time of one
 * thread each: XGBoost's OpenMP threads wait on each other for minutes on an oversubscribed machine), a default XGBoost
 * and a default random forest (each the search's first trial of that learner alone, its default configuration,
 * refitted on the training rows). The score is the primary metric (accuracy, r2 for diabetes) of the final model on
 * the fold's test rows; the table gives its mean (and standard deviation) over the k × repeats folds, and how many
 * folds AutoML won, tied or lost against the better baseline of that fold. Every row is a test row once per repeat,
 * so the whole table is scored, not a quarter of it. Prints a markdown table and, per fold, a raw line.
 * Options: {@code --budget-minutes M} (default 5), {@code --folds K} (default 5), {@code --repeats R} (default 2),
 * {@code --datasets a,b}, {@code --work-dir DIR}.
 */
public final class AutoMlBenchmark {
    private static final Path DATA = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AutoMlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double budget = 5;
        int folds = 5;
        int repeats = 2;
        List<String> datasets = List.of("iris", "wine", "breast_cancer", "digits", "diabetes");
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--budget-minutes" -> budget = Double.parseDouble(args[++i]);
                case "--folds" -> folds = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--datasets" -> datasets = List.of(args[++i].split(","));
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--budget-minutes M, --folds K, --repeats R, --datasets a,b, --work-dir DIR)");
            }
        }
        if (!Files.isRegularFile(DATA.resolve("iris.csv"))) {
            throw new IllegalStateException(DATA + " is missing: install Debian's python3-sklearn");
        }
        work = work == null ? Files.createTempDirectory("automl-bench") : Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "load average %.1f, %d cores; budget %s min; %d-fold × %d repeats%n%n", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors(), budget, folds, repeats);
        List<String> table = new ArrayList<>();
        table.add("| dataset | rows | metric | AutoML mean (sd) | XGBoost default | random forest default | AutoML against the better baseline: won/tied/lost | AutoML wall s / CPU s | baselines wall s / CPU s | AutoML elapsed / budget, worst fold |");
        table.add("|---|---|---|---|---|---|---|---|---|---|");
        for (String dataset : datasets) {
            boolean regression = dataset.equals("diabetes");
            String metric = regression ? "r2_score" : "accuracy";
            List<String> rows = rows(dataset);
            double[][] scores = new double[3][folds * repeats];
            double[] automlTime = new double[2];
            double[] baselineTime = new double[2];
            double worstElapsed = 0;
            int won = 0;
            int tied = 0;
            int lost = 0;
            for (int r = 0; r < repeats; r++) {
                List<List<String>> dealt = deal(rows, folds, regression, r);
                for (int f = 0; f < folds; f++) {
                    Path folder = Files.createDirectories(work.resolve(dataset).resolve(r + "-" + f));
                    write(folder, dataset, dealt, f);
                    Result automl = run(folder, "automl", spec(folder, regression, Map.of("timeout_minutes", budget, "max_trials", 1000,
                            "max_concurrent_trials", 2, "max_cores_per_trial", 1), null, 5));
                    Result xgboost = run(folder, "xgboost", spec(folder, regression, Map.of("max_trials", 1, "max_cores_per_trial", 1),
                            regression ? "XGBoostRegressor" : "XGBoostClassifier", 2));
                    Result forest = run(folder, "forest", spec(folder, regression, Map.of("max_trials", 1, "max_cores_per_trial", 1),
                            "RandomForest", 2));
                    int k = r * folds + f;
                    scores[0][k] = automl.score();
                    scores[1][k] = xgboost.score();
                    scores[2][k] = forest.score();
                    automlTime[0] += automl.wall();
                    automlTime[1] += automl.cpu();
                    baselineTime[0] += xgboost.wall() + forest.wall();
                    baselineTime[1] += xgboost.cpu() + forest.cpu();
                    worstElapsed = Math.max(worstElapsed, automl.elapsedOfBudget());
                    double better = Math.max(xgboost.score(), forest.score());
                    if (Math.abs(automl.score() - better) < 1e-9) {
                        tied++;
                    } else if (automl.score() > better) {
                        won++;
                    } else {
                        lost++;
                    }
                    System.out.printf(Locale.ROOT, "raw %s repeat %d fold %d: automl %.4f (%s, wall %.0f s, cpu %.0f s, elapsed %.2f of budget) "
                                    + "xgboost %.4f forest %.4f%n", dataset, r, f, automl.score(), automl.best(), automl.wall(), automl.cpu(),
                            automl.elapsedOfBudget(), xgboost.score(), forest.score());
                }
            }
            table.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d/%d/%d | %.0f / %.0f | %.0f / %.0f | %.2f |", dataset, rows.size(),
                    metric, meanSd(scores[0]), meanSd(scores[1]), meanSd(scores[2]), won, tied, lost, automlTime[0], automlTime[1],
                    baselineTime[0], baselineTime[1], worstElapsed));
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    private static String meanSd(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double variance = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, values.length - 1);
        return String.format(Locale.ROOT, "%.4f (%.4f)", mean, Math.sqrt(variance));
    }

    /** One method's run on one fold: the test score, wall and CPU seconds, best algorithm, elapsed_ms / budget_ms. */
    private record Result(double score, double wall, double cpu, String best, double elapsedOfBudget) {
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

    /** Runs AutoMlMain in a new JVM on the fold in {@code folder}. */
    private static Result run(Path folder, String name, Map<String, Object> spec) throws IOException, InterruptedException {
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
        double budget = result.path("budget_ms").asDouble(Double.NaN);
        return new Result(score, wall, cpu, result.path("best_algorithm").asText() + " (" + result.path("trials").size() + " trials)",
                result.path("elapsed_ms").asDouble() / budget);
    }

    /** The table's rows as CSV lines, features then the target (a class name, or a number for diabetes). */
    private static List<String> rows(String dataset) throws IOException {
        List<String> rows = new ArrayList<>();
        switch (dataset) {
            case "iris", "wine", "breast_cancer" -> {
                List<String> lines = Files.readAllLines(DATA.resolve(dataset.equals("wine") ? "wine_data.csv" : dataset + ".csv"));
                String[] first = lines.get(0).split(",");
                for (String line : lines.subList(1, lines.size())) {
                    if (!line.isBlank()) {
                        int last = line.lastIndexOf(',');
                        rows.add(line.substring(0, last) + "," + first[2 + Integer.parseInt(line.substring(last + 1).trim())]);
                    }
                }
            }
            case "digits" -> {
                rows.addAll(gunzip(DATA.resolve("digits.csv.gz")));
            }
            case "diabetes" -> {
                List<String> x = gunzip(DATA.resolve("diabetes_data_raw.csv.gz"));
                List<String> y = gunzip(DATA.resolve("diabetes_target.csv.gz"));
                for (int i = 0; i < x.size(); i++) {
                    rows.add(String.join(",", x.get(i).trim().split("\\s+")) + "," + Double.parseDouble(y.get(i).trim()));
                }
            }
            default -> throw new IllegalArgumentException("no dataset " + dataset);
        }
        return rows;
    }

    /** The number of features of a table. */
    private static int features(String dataset) throws IOException {
        return switch (dataset) {
            case "digits" -> 64;
            case "diabetes" -> 10;
            default -> Integer.parseInt(Files.readAllLines(DATA.resolve(dataset.equals("wine") ? "wine_data.csv" : dataset + ".csv"))
                    .get(0).split(",")[1].trim());
        };
    }

    /**
     * The rows dealt into {@code folds} folds: shuffled with {@code Random(repeat)}, then (for classification) sorted by
     * class, stably, and dealt round-robin, so that every fold holds each class in proportion.
     */
    private static List<List<String>> deal(List<String> rows, int folds, boolean regression, int repeat) {
        List<String> order = new ArrayList<>(rows);
        Collections.shuffle(order, new Random(repeat));
        if (!regression) {
            order.sort(java.util.Comparator.comparing(line -> line.substring(line.lastIndexOf(',') + 1)));
        }
        List<List<String>> dealt = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < order.size(); i++) {
            dealt.get(i % folds).add(order.get(i));
        }
        return dealt;
    }

    /** Writes train.csv (every fold but {@code test}) and test.csv (fold {@code test}); features x0.., column target. */
    private static void write(Path folder, String dataset, List<List<String>> dealt, int test) throws IOException {
        List<String> header = new ArrayList<>();
        for (int i = 0; i < features(dataset); i++) {
            header.add("x" + i);
        }
        header.add("target");
        List<String> testLines = new ArrayList<>(List.of(String.join(",", header)));
        List<String> trainLines = new ArrayList<>(List.of(String.join(",", header)));
        for (int f = 0; f < dealt.size(); f++) {
            (f == test ? testLines : trainLines).addAll(dealt.get(f));
        }
        Files.write(folder.resolve("train.csv"), trainLines);
        Files.write(folder.resolve("test.csv"), testLines);
    }

    private static List<String> gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}
