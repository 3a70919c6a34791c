package dev.atelier.workers.builtins;

import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.server.models.automl.AutoMlModelFolder;
import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.workers.automl.AutoMlEngine;
import dev.atelier.workers.automl.AutoMlResult;
import dev.atelier.workers.automl.AutoMlSpec;
import dev.atelier.workers.automl.FolderTracker;
import dev.atelier.workers.automl.RestTracker;
import dev.atelier.workers.automl.Tracker;
import dev.atelier.workers.rest.ServerClient;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableFiles;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * {@code train_automl}: runs the AutoML engine (docs/automl.md) on a table and writes its best model, an MLflow model folder
 * (flavor {@code atelier_automl}) with {@link TrainedModel} metadata, so score_model, evaluate_model and register_model take
 * it as they take train_model's. When the step runs as a job (MLFLOW_TRACKING_URI, MLFLOW_RUN_ID, MLFLOW_EXPERIMENT_ID set)
 * every trial is a child run of the step's run, as an AutoML job's trials are of its run; otherwise they are recorded in a
 * temporary folder. Options: {@code --input}, {@code --label}, {@code --task} (classification, regression),
 * {@code --primary_metric} (default the task's), {@code --max_trials}, {@code --timeout_minutes}, {@code --seed},
 * {@code --output}. Fails (exit 1) when no trial completed.
 */
final class TrainWithAutoMl implements Builtin {
    private final Map<String, String> environment;

    TrainWithAutoMl(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public void run(Arguments arguments) throws IOException {
        Path input = arguments.path("input");
        String label = arguments.text("label");
        String task = arguments.choice("task", "classification", "classification", "regression");
        String primaryMetric = arguments.optional("primary_metric").filter(value -> !value.isBlank()).orElse(null);
        long maxTrials = arguments.integer("max_trials", 10, 1, 1000);
        double timeoutMinutes = arguments.number("timeout_minutes", 15, 0.1, 10_080);
        long seed = arguments.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Path output = arguments.path("output");
        arguments.checkAllRead();
        Path work = Files.createTempDirectory("train-automl-");
        Path training = oneCsvFile(input, work);
        AutoMlSpec spec = new AutoMlSpec(task, label, null, null, training.toString(), null, null, null, null, primaryMetric,
                new AutoMlSpec.Limits(timeoutMinutes, null, (int) maxTrials, 1, null, true, null),
                new AutoMlSpec.Featurization(null, null, null, null),
                new AutoMlSpec.Training(null, null, null, null, false), seed);
        Files.createDirectories(output);
        AutoMlResult result;
        try {
            result = new AutoMlEngine(spec, tracker(work), work, System.out::println).run();
        } catch (IllegalArgumentException e) {
            throw new TableException(e.getMessage());
        }
        Path model = work.resolve("model");
        if (result.bestScore() == null || !Files.isDirectory(model)) {
            throw new TableException("train_automl: no trial completed; see the trials' runs for their errors");
        }
        copyFolder(model, output);
        writeMetadata(output, label, task, result.bestAlgorithm());
        System.out.println("train_automl: best " + result.bestAlgorithm() + " " + result.primaryMetric() + "=" + result.bestScore()
                + " after " + result.trials().size() + " trials");
    }

    private Tracker tracker(Path work) {
        String runId = environment.get("MLFLOW_RUN_ID");
        String experimentId = environment.get("MLFLOW_EXPERIMENT_ID");
        if (environment.get("MLFLOW_TRACKING_URI") == null || runId == null || experimentId == null) {
            return new FolderTracker(work.resolve("runs"));
        }
        return new RestTracker(ServerClient.fromEnvironment(environment), experimentId, runId);
    }

    /** The table as one CSV file: its own when it has one, else its files' rows written into one under {@code work}. */
    private static Path oneCsvFile(Path input, Path work) throws IOException {
        List<Path> files = TableFiles.csvFiles(input);
        if (files.size() == 1) {
            return files.get(0);
        }
        Path folder = Files.createDirectories(work.resolve("table"));
        try (TableReader reader = TableReader.open(input); TableWriter writer = TableWriter.create(folder, reader.columns())) {
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                writer.write(row);
            }
        }
        return TableFiles.dataFile(folder);
    }

    /** Adds what score_model and evaluate_model read (label column, task, features, classes) to the model's MLmodel. */
    private static void writeMetadata(Path folder, String label, String task, String algorithm) {
        List<String> features;
        List<String> classes;
        try (AutoMlPipeline pipeline = AutoMlModelFolder.read(folder)) {
            features = pipeline.inputs().stream().map(AutoMlPipeline.InputColumn::name).toList();
            classes = pipeline.classes();
        }
        MlModel model = MlModelYaml.read(folder.resolve(MlModel.FILE_NAME));
        Map<String, Object> other = new HashMap<>(model.other());
        other.put("metadata", new TrainedModel(label, task, features, classes, "automl:" + algorithm).metadata());
        MlModelYaml.write(new MlModel(model.artifactPath(), model.flavors(), model.runId(), model.modelUuid(), model.utcTimeCreated(),
                model.mlflowVersion(), model.signature(), model.savedInputExampleInfo(), other), folder);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
