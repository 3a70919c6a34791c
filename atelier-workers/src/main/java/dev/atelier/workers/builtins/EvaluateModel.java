package dev.atelier.workers.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.models.automl.Task;
import dev.atelier.workers.automl.Charts;
import dev.atelier.workers.rest.ServerClient;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.Values;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * {@code evaluate_model}: compares a scored table's {@code scored_label} (and probabilities) with its label column and
 * writes the metrics, named as Azure's AutoML names them, to {@code metrics.json} in {@code --output}; when the step runs
 * as a job (MLFLOW_TRACKING_URI and MLFLOW_RUN_ID set) it logs them to the step's run and uploads
 * {@code metrics.json} (with the confusion matrix of a classifier) as the run's artifact. Options: {@code --input},
 * {@code --label} and {@code --task} (default: what score_model recorded from the model), {@code --output}.
 * Classification: accuracy, precision/recall/F1 macro and weighted, AUC_macro/AUC_weighted when probabilities were
 * scored (one class against the rest), and the confusion matrix; regression: mean_absolute_error,
 * root_mean_squared_error, r2_score, and their normalized forms. One pass; a classifier's AUC holds each row's
 * probabilities. The charts are AutoML's ({@link Charts}): ROC, precision-recall, confusion matrix and calibration of a
 * classifier, residuals and predicted against true values of a regressor, as {@code charts/<name>.json|svg} in the output
 * and {@code evaluation/charts/} of the run; they hold each row's numbers as the AUC does.
 */
final class EvaluateModel implements Builtin {
    /** The folder of the charts, in the output and under the run's {@code evaluation/} artifacts. */
    static final String CHARTS = "charts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;

    EvaluateModel(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public void run(Arguments arguments) throws IOException {
        Path input = arguments.path("input");
        Optional<String> labelOption = arguments.optional("label").filter(value -> !value.isBlank());
        Optional<String> taskOption = arguments.optional("task").filter(value -> !value.isBlank() && !value.equals("auto"));
        Path output = arguments.path("output");
        arguments.checkAllRead();
        JsonNode scoring = scoring(input);
        String label = labelOption.or(() -> text(scoring, "label_column")).orElseThrow(() -> new TableException(
                "evaluate_model needs 'label': the scored table does not say which column holds the true labels"));
        String task = taskOption.or(() -> text(scoring, "task")).orElse("classification");
        if (!task.equals("classification") && !task.equals("regression")) {
            throw new TableException("option '--task' is '" + task + "'; expected classification or regression");
        }
        List<String> classes = scoring.path("classes").isArray()
                ? java.util.stream.StreamSupport.stream(scoring.path("classes").spliterator(), false).map(JsonNode::asText).toList() : List.of();
        ObjectNode result = JSON.createObjectNode();
        Map<String, Double> metrics;
        Path charts = Files.createDirectories(output).resolve(CHARTS);
        try (TableReader reader = TableReader.open(input)) {
            int truth = reader.indexOf(label);
            int scored = reader.indexOf(ScoreModel.SCORED_LABEL);
            if (task.equals("regression")) {
                DoubleColumn actual = new DoubleColumn(true);
                DoubleColumn predicted = new DoubleColumn(true);
                metrics = Metrics.regression(reader, truth, scored, label, actual, predicted);
                double[] predictions = predicted.values();
                double[][] rows = new double[predictions.length][];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = new double[] {predictions[i]};
                }
                Charts.write(charts, Task.REGRESSION, List.of(), actual.values(), rows);
            } else {
                ClassificationMetrics classification = ClassificationMetrics.compute(reader, truth, scored, classes);
                metrics = classification.metrics();
                result.set("confusion_matrix", classification.confusionMatrix(JSON));
                Charts.write(charts, Task.CLASSIFICATION, classification.classes(), classification.truth(), classification.probabilities());
            }
        }
        ObjectNode metricNode = result.putObject("metrics");
        metrics.forEach(metricNode::put);
        result.put("task", task).put("label_column", label);
        Path file = output.resolve("metrics.json");
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
        metrics.forEach((name, value) -> System.out.println("evaluate_model: " + name + " = " + value));
        String runId = environment.get("MLFLOW_RUN_ID");
        if (runId != null && !runId.isBlank() && environment.containsKey("MLFLOW_TRACKING_URI")) {
            ServerClient client = ServerClient.fromEnvironment(environment);
            client.logBatch(runId, metrics, Map.of(), Map.of("atelier.evaluation.task", task));
            client.uploadArtifact(runId, file, "evaluation/metrics.json");
            try (Stream<Path> files = Files.list(charts)) {
                for (Path chart : files.sorted().toList()) {
                    client.uploadArtifact(runId, chart, "evaluation/" + CHARTS + "/" + chart.getFileName());
                }
            }
        }
    }

    private static JsonNode scoring(Path input) throws IOException {
        Path file = Files.isDirectory(input) ? input.resolve(ScoreModel.SCORING_FILE) : input.resolveSibling(ScoreModel.SCORING_FILE);
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** Regression metrics in one pass. */
    static final class Metrics {
        private Metrics() {
        }

        /** The metrics; every pair of numbers evaluated is added to {@code actuals} and {@code predictions}. */
        static Map<String, Double> regression(TableReader reader, int truth, int scored, String label, DoubleColumn actuals,
                                              DoubleColumn predictions) {
            long count = 0;
            double absolute = 0;
            double squared = 0;
            double sum = 0;
            double sumOfSquares = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                double actual = Values.number(row[truth], label, reader.rowNumber());
                double predicted = Values.number(row[scored], ScoreModel.SCORED_LABEL, reader.rowNumber());
                if (Double.isNaN(actual) || Double.isNaN(predicted)) {
                    continue;
                }
                count++;
                actuals.add(actual);
                predictions.add(predicted);
                double error = predicted - actual;
                absolute += Math.abs(error);
                squared += error * error;
                sum += actual;
                sumOfSquares += actual * actual;
                min = Math.min(min, actual);
                max = Math.max(max, actual);
            }
            if (count == 0) {
                throw new TableException("no row has both a label and a score to evaluate");
            }
            double mean = sum / count;
            double total = sumOfSquares - count * mean * mean;
            double range = max - min;
            double rmse = Math.sqrt(squared / count);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("mean_absolute_error", absolute / count);
            metrics.put("root_mean_squared_error", rmse);
            metrics.put("r2_score", total > 0 ? 1 - squared / total : Double.NaN);
            metrics.put("normalized_mean_absolute_error", range > 0 ? absolute / count / range : Double.NaN);
            metrics.put("normalized_root_mean_squared_error", range > 0 ? rmse / range : Double.NaN);
            metrics.values().removeIf(value -> !Double.isFinite(value));
            return metrics;
        }
    }
}
