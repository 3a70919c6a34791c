package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.AutoMlModelRuntime;
import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.Combination;
import dev.atelier.server.models.automl.Member;
import dev.atelier.server.models.automl.Task;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The best trial's model and artifacts: refits its learner (or each member of its ensemble) on all training rows,
 * saves the pipeline as {@code model/} (MLmodel flavor {@code atelier_automl}), writes {@code charts/}, with
 * explainability {@code explanations/feature_importance.json|svg}, with test data {@code test_predictions.csv} and
 * {@code test_*} metrics, and uploads them to the best trial's run. Not thread-safe; used once.
 */
final class BestModel {
    static final int EXPLANATION_ROWS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final AutoMlSpec spec;
    private final Problem problem;
    private final FeaturizationFit.Fitted fitted;
    private final List<String> classes;
    private final Tracker tracker;
    private final Path work;
    private final Consumer<String> log;
    private final long seed;
    private AutoMlPipeline pipeline;

    BestModel(AutoMlSpec spec, Problem problem, FeaturizationFit.Fitted fitted, List<String> classes, Tracker tracker, Path work,
              Consumer<String> log, long seed) {
        this.spec = requireNonNull(spec, "spec is null");
        this.problem = requireNonNull(problem, "problem is null");
        this.fitted = requireNonNull(fitted, "fitted is null");
        this.classes = List.copyOf(classes);
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.work = requireNonNull(work, "work is null");
        this.log = requireNonNull(log, "log is null");
        this.seed = seed;
    }

    /** The refitted pipeline, after {@link #finish}. */
    AutoMlPipeline pipeline() {
        return pipeline;
    }

    /**
     * The trial's learner (each member of its ensemble) fitted on all training rows; an XGBoost fit gives up past
     * {@code hardStop} ({@link System#nanoTime()}) with {@link Fitting.DeadlinePassed}.
     */
    Combination refit(Trial best, long hardStop) {
        return switch (best.ensemble()) {
            case null -> Combination.Weighted.single(refit(best, hardStop, List.of()));
            case Ensembles.Vote vote -> new Combination.Weighted(refitAll(vote.members(), hardStop), vote.weights());
            case Ensembles.Stack stack -> new Combination.Stacked(refitAll(stack.members(), hardStop), stack.meta());
        };
    }

    private List<Member> refitAll(List<Trial> members, long hardStop) {
        List<Member> fitted = new ArrayList<>();
        for (Trial member : members) {
            fitted.add(refit(member, hardStop, fitted));
        }
        return fitted;
    }

    /**
     * Saves and uploads the refitted {@code combination} of {@code best} with its artifacts; explanations (the slowest
     * part) only when asked and {@code explain} (the engine's: there is time left for them).
     */
    void finish(Trial best, Combination combination, Frame training, Frame validation, boolean explain) throws IOException {
        pipeline = new AutoMlPipeline(problem.task(), fitted.inputs(), fitted.featurizer(), classes, combination);
        log.accept("best: " + best.name() + " " + problem.primary().azureName() + "=" + best.score());
        Path model = work.resolve("model");
        AutoMlModelRuntime.save(pipeline, model, example(training, 5), Optional.ofNullable(best.runId()));
        Path charts = work.resolve("charts");
        Charts.write(charts, problem.task(), classes, problem.evaluatedTargets(), best.predictions());
        Map<String, Double> testMetrics = new LinkedHashMap<>();
        Frame test = null;
        double[] testTruth = null;
        if (spec.testData() != null) {
            test = CsvFrames.read(Path.of(spec.testData()));
            double[][] predictions = combination.predict(FeaturizationFit.matrix(fitted.featurizer(), test), problem.task());
            writePredictions(work.resolve("test_predictions.csv"), test, predictions);
            Frame.Column target = test.column(spec.targetColumnName());
            if (target != null) {
                Targets truth = problem.task() == Task.CLASSIFICATION ? Targets.labelled(target, test.rows(), classes)
                        : Targets.of(target, test.rows(), Task.REGRESSION, null);
                test = test.select(truth.keptRows());
                testTruth = truth.values();
                double[][] kept = new double[truth.keptRows().length][];
                for (int i = 0; i < kept.length; i++) {
                    kept[i] = predictions[truth.keptRows()[i]];
                }
                problem.metrics(testTruth, kept, spec.weightColumnName() == null ? null : AutoMlEngine.sampleWeights(test, spec.weightColumnName())).forEach((name, value) -> testMetrics.put("test_" + name, value));
            } else {
                test = null;
            }
        }
        if (spec.training().enableModelExplainability() && explain) {
            explain(work.resolve("explanations"), training, validation, test, testTruth);
        }
        if (best.runId() != null) {
            tracker.upload(best.runId(), model, "model");
            tracker.upload(best.runId(), charts, "charts");
            if (Files.isDirectory(work.resolve("explanations"))) {
                tracker.upload(best.runId(), work.resolve("explanations"), "explanations");
            }
            if (Files.exists(work.resolve("test_predictions.csv"))) {
                Path folder = Files.createDirectories(work.resolve("test"));
                Files.copy(work.resolve("test_predictions.csv"), folder.resolve("test_predictions.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                tracker.upload(best.runId(), folder, "");
            }
            tracker.log(best.runId(), testMetrics, Map.of(), Map.of("automl.best", "true"));
        }
    }

    /** Refits one learner; on {@link Fitting.DeadlinePassed} the members {@code fittedSoFar} are closed first. */
    private Member refit(Trial trial, long hardStop, List<Member> fittedSoFar) {
        long trialSeed = seed + 1000L * (trial.index() + 1);
        try {
            return Fitting.fit(trial.algorithm(), trial.config(), problem.task(), problem.data(problem.trainingRows()), trialSeed,
                    spec.limits().maxCoresPerTrial(), hardStop);
        } catch (Fitting.DeadlinePassed e) {
            fittedSoFar.forEach(member -> member.learner().close());
            throw e;
        }
    }

    /** Permutation importance on the test rows, else the validation rows, else (in-sample) up to 2000 training rows. */
    private void explain(Path folder, Frame training, Frame validation, Frame test, double[] testTruth) throws IOException {
        Frame frame;
        double[] truth;
        String rows;
        if (test != null) {
            frame = test;
            truth = testTruth;
            rows = "test_data";
        } else if (validation != null) {
            frame = validation;
            truth = java.util.Arrays.copyOfRange(problem.targets(), training.rows(), problem.targets().length);
            rows = "validation_data";
        } else {
            int[] sample = Fitting.sample(training.rows(), EXPLANATION_ROWS, seed);
            frame = training.select(sample);
            truth = new double[sample.length];
            for (int i = 0; i < sample.length; i++) {
                truth[i] = problem.targets()[sample[i]];
            }
            rows = "training_data (in sample)";
        }
        Map<String, Double> importance = PermutationImportance.compute(pipeline, frame, truth, problem.primary(), problem.classes(), seed);
        Files.createDirectories(folder);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", "permutation importance: loss of " + problem.primary().azureName() + " when the column is shuffled");
        json.put("rows", rows);
        json.put("importance", importance);
        JSON.writeValue(folder.resolve("feature_importance.json").toFile(), json);
        List<String> names = new ArrayList<>(importance.keySet()).subList(0, Math.min(20, importance.size()));
        double[] values = names.stream().mapToDouble(importance::get).toArray();
        Files.writeString(folder.resolve("feature_importance.svg"),
                Svg.bars("Permutation importance", "loss of " + problem.primary().azureName(), "column", names, values));
    }

    /** The first rows of the input columns, as a scoring request would send them. */
    private Table example(Frame training, int rows) {
        List<String> columns = fitted.inputs().stream().map(AutoMlPipeline.InputColumn::name).toList();
        List<List<Object>> data = new ArrayList<>();
        for (int i = 0; i < Math.min(rows, training.rows()); i++) {
            List<Object> row = new ArrayList<>();
            for (String column : columns) {
                row.add(training.column(column).value(i));
            }
            data.add(row);
        }
        return new Table(columns, data);
    }

    private void writePredictions(Path file, Frame test, double[][] predictions) throws IOException {
        Table answer = AutoMlModelRuntime.answer(pipeline, predictions);
        List<String> header = new ArrayList<>();
        test.columns().forEach(column -> header.add(column.name()));
        answer.columns().forEach(name -> header.add(header.contains(name) ? name + "_predicted" : name));
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write(String.join(",", header.stream().map(BestModel::csv).toList()) + "\n");
            for (int i = 0; i < test.rows(); i++) {
                List<String> cells = new ArrayList<>();
                for (Frame.Column column : test.columns()) {
                    Object value = column.value(i);
                    cells.add(value == null ? "" : csv(value instanceof Double number ? format(number) : value.toString()));
                }
                for (Object value : answer.rows().get(i)) {
                    cells.add(csv(value instanceof Double number ? format(number) : String.valueOf(value)));
                }
                writer.write(String.join(",", cells) + "\n");
            }
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String csv(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
