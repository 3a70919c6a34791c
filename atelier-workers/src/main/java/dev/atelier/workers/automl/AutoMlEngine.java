package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One AutoML run: reads the data, featurizes, searches ({@link Search}), builds the vote and stack ensembles as trials
 * of their own, then hands the best trial to {@link BestModel} for the final fit and the artifacts, and returns the
 * leaderboard. The search gets 80 % of {@code timeout_minutes}; the rest is for ensembles and the final fit, which
 * {@link FinalFit} keeps within the budget (falling back to a quicker model), and the artifacts (explanations only
 * when the refit ended within the budget).
 * Not thread-safe; run once.
 */
public final class AutoMlEngine {
    /** Tribuo logs every bagged tree at INFO; held here so that the level sticks (loggers are weakly referenced). */
    private static final java.util.logging.Logger TRIBUO_LOGGER = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** Past this fraction of the budget a refit's XGBoost rounds give up (FinalFit then refits the quickest model). */
    static final double HARD_STOP = 1.05;

    private final AutoMlSpec spec;
    private final Tracker tracker;
    private final Path work;
    private final Consumer<String> log;
    private final Map<Integer, Long> startedAt = new java.util.HashMap<>();

    /** @param work a folder for the files uploaded as artifacts */
    public AutoMlEngine(AutoMlSpec spec, Tracker tracker, Path work, Consumer<String> log) {
        this.spec = requireNonNull(spec, "spec is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.work = requireNonNull(work, "work is null");
        this.log = requireNonNull(log, "log is null");
    }

    /**
     * @throws IllegalArgumentException for data that cannot be learned from (no such target column, one class, no
     *                                  usable column, no algorithm left)
     */
    public AutoMlResult run() throws IOException {
        long start = System.nanoTime();
        long budget = (long) (spec.limits().timeoutMinutes() * 60e9);
        long seed = spec.seed() == null ? System.nanoTime() : spec.seed();
        Task task = Task.of(spec.task());
        Metric primary = spec.primaryMetric() == null ? Metric.defaultFor(task) : Metric.named(spec.primaryMetric());
        if (primary.task() != task) {
            throw new IllegalArgumentException("primary_metric " + primary.azureName() + " is not a " + task.yamlName() + " metric");
        }
        Frame training = selectLabelled(CsvFrames.read(Path.of(spec.trainingData())), "training_data");
        Frame.Column targetColumn = training.column(spec.targetColumnName());
        Targets targets = Targets.of(targetColumn, training.rows(), task, spec.positiveLabel());
        training = training.select(targets.keptRows());
        targetColumn = training.column(spec.targetColumnName());
        log.accept("training data: " + training.rows() + " rows, " + training.columns().size() + " columns");

        Set<String> excluded = new HashSet<>();
        excluded.add(spec.targetColumnName());
        if (spec.weightColumnName() != null) {
            excluded.add(spec.weightColumnName());
        }
        FeaturizationFit.Fitted fitted = FeaturizationFit.fit(training, excluded, spec.featurization());
        List<AutoMlResult.Guardrail> guardrails = Guardrails.check(training, targetColumn, targets.values(), task, fitted, targets.classes());
        double[][] features = FeaturizationFit.matrix(fitted.featurizer(), training);
        double[] values = targets.values();
        double[] weights = weights(training);
        Splits splits;
        Frame validation = null;
        if (spec.validationData() != null) {
            validation = selectLabelled(CsvFrames.read(Path.of(spec.validationData())), "validation_data");
            Targets validationTargets = task == Task.CLASSIFICATION
                    ? Targets.labelled(validation.column(spec.targetColumnName()), validation.rows(), targets.classes())
                    : Targets.of(validation.column(spec.targetColumnName()), validation.rows(), task, null);
            validation = validation.select(validationTargets.keptRows());
            features = concat(features, FeaturizationFit.matrix(fitted.featurizer(), validation));
            values = concat(values, validationTargets.values());
            double[] validationWeights = weights(validation);
            weights = weights == null || validationWeights == null ? null : concat(weights, validationWeights);
            splits = Splits.validationData(training.rows(), validation.rows());
        } else {
            splits = Splits.of(training.rows(), spec.crossValidationFolds(), spec.validationDataSize(),
                    task == Task.CLASSIFICATION ? values : null, seed);
        }
        log.accept("validation: " + splits.description() + "; " + fitted.featurizer().width() + " features");
        Problem problem = new Problem(task, primary, features, values, weights, targets.classes().size(), splits);

        List<Algorithm> algorithms = algorithms(task, targets.classes().size());
        Map<String, String> commonParams = new LinkedHashMap<>();
        commonParams.put("featurization", spec.featurization().mode());
        commonParams.put("validation", splits.description());
        commonParams.put("primary_metric", primary.azureName());
        Search.Settings settings = new Search.Settings(algorithms, spec.limits().maxTrials(), spec.limits().maxConcurrentTrials(),
                spec.limits().maxCoresPerTrial(), start + (long) (budget * 0.8),
                spec.limits().trialTimeoutMinutes() == null || spec.limits().trialTimeoutMinutes() <= 0 ? 0
                        : Math.max(1, (long) (spec.limits().trialTimeoutMinutes() * 60e9)),
                spec.limits().enableEarlyTermination(), spec.limits().exitScore(), seed);
        Search search = new Search(problem, settings, tracker, commonParams, log);
        List<Trial> trials = new ArrayList<>(search.run());
        startedAt.putAll(search.startedAt());
        String endedBy = search.ending().name().toLowerCase(java.util.Locale.ROOT);
        long hardDeadline = start + budget;
        trials.addAll(ensembles(problem, trials, seed, hardDeadline, commonParams));

        Comparator<Trial> bestFirst = Comparator.comparingDouble((Trial t) -> primary.toScore(t.score())).reversed()
                .thenComparing(Trial::index);
        List<Trial> ranked = trials.stream().filter(Trial::completed).sorted(bestFirst).toList();
        Trial best = null;
        AutoMlResult.FinalFit finalFit = null;
        if (!ranked.isEmpty()) {
            BestModel model = new BestModel(spec, problem, fitted, targets.classes(), tracker, work, log, seed);
            FinalFit.Outcome outcome = new FinalFit(splits, problem.trainingRows().length, System::nanoTime, log)
                    .run(ranked, hardDeadline, start + (long) (budget * HARD_STOP), model::refit);
            best = outcome.trial();
            finalFit = new AutoMlResult.FinalFit(best.runId(), best.name(), (outcome.startedNanos() - start) / 1_000_000,
                    (outcome.finishedNanos() - outcome.startedNanos()) / 1_000_000, outcome.estimatedNanos() / 1_000_000,
                    outcome.skipped());
            model.finish(best, outcome.combination(), training, validation, System.nanoTime() < hardDeadline);
            tracker.log(tracker.parentRunId(), Map.of("best_" + primary.azureName(), best.score()), Map.of(),
                    Map.of("automl.best_run_id", String.valueOf(best.runId()), "automl.primary_metric", primary.azureName()));
        }
        return new AutoMlResult(primary.azureName(), best == null ? null : best.runId(), best == null ? null : best.score(),
                best == null ? null : best.row(0).algorithm(), endedBy, (long) (budget * 0.8) / 1_000_000,
                (System.nanoTime() - start) / 1_000_000, budget / 1_000_000, finalFit,
                trials.stream().map(t -> t.row((startedAt.getOrDefault(t.index(), start) - start) / 1_000_000)).toList(), guardrails);
    }

    /** The vote and stack ensembles over the best trials, as trials with their own child runs. */
    private List<Trial> ensembles(Problem problem, List<Trial> trials, long seed, long deadline, Map<String, String> commonParams) {
        List<Trial> candidates = Ensembles.candidates(trials, problem.primary());
        List<Trial> added = new ArrayList<>();
        if (candidates.size() < 2) {
            return added;
        }
        if (spec.training().enableVoteEnsemble()) {
            added.add(record(problem, trials.size() + added.size(), Ensembles.vote(problem, candidates), commonParams));
        }
        if (spec.training().enableStackEnsemble() && System.nanoTime() < deadline) {
            Ensembles.Stack stack = Ensembles.stack(problem, candidates, seed, spec.limits().maxCoresPerTrial(), deadline);
            if (stack != null) {
                added.add(record(problem, trials.size() + added.size(), stack, commonParams));
            }
        }
        return added;
    }

    private Trial record(Problem problem, int index, Ensembles.Built ensemble, Map<String, String> commonParams) {
        String name = ensemble.kind() + "_" + index;
        long started = System.nanoTime();
        startedAt.put(index, started);
        Map<String, Double> metrics = problem.metrics(ensemble.predictions());
        String runId = tracker.startChild(name, Map.of("automl.algorithm", ensemble.kind(), "automl.trial", Integer.toString(index)));
        Map<String, String> params = new LinkedHashMap<>(commonParams);
        params.put("algorithm", ensemble.kind());
        params.put("ensembled_runs", ensemble.members().stream().map(t -> String.valueOf(t.runId())).toList().toString());
        params.put("ensembled_algorithms", ensemble.members().stream().map(t -> t.algorithm().azureName()).toList().toString());
        if (ensemble instanceof Ensembles.Vote vote) {
            params.put("ensemble_weights", vote.weights().toString());
        }
        Double score = metrics.get(problem.primary().azureName());
        String status = score == null ? Trial.FAILED : Trial.COMPLETED;
        tracker.log(runId, metrics, params, Map.of("automl.status", status));
        tracker.end(runId, score == null ? "FAILED" : "FINISHED");
        log.accept(String.format("%-28s %-16s %s=%s", name, status, problem.primary().azureName(), score));
        return new Trial(index, name, runId, null, Map.of(), status, score, metrics, ensemble.predictions(), List.of(),
                (System.nanoTime() - started) / 1_000_000, null, ensemble);
    }

    private List<Algorithm> algorithms(Task task, int classes) {
        List<Algorithm> allowed = new ArrayList<>();
        if (spec.training().allowedTrainingAlgorithms().isEmpty()) {
            Arrays.stream(Algorithm.values()).filter(a -> a.serves(task)).forEach(allowed::add);
        } else {
            spec.training().allowedTrainingAlgorithms().forEach(name -> Algorithm.named(name, task).stream()
                    .filter(a -> !allowed.contains(a)).forEach(allowed::add));
        }
        spec.training().blockedTrainingAlgorithms().forEach(name -> allowed.removeAll(Algorithm.named(name, task)));
        if (task == Task.CLASSIFICATION && classes > 2 && allowed.remove(Algorithm.LIGHTGBM)) {
            log.accept("LightGBM left out: it classifies two classes only here (" + LightGbmFitting.MULTICLASS_LIMIT + ")");
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("no training algorithm is left for " + task.yamlName() + " after allowed_training_algorithms "
                    + "and blocked_training_algorithms" + (classes > 2 ? " (LightGBM classifies two classes only)" : ""));
        }
        return allowed;
    }

    private Frame selectLabelled(Frame frame, String field) {
        if (frame.column(spec.targetColumnName()) == null) {
            throw new IllegalArgumentException(field + " has no column '" + spec.targetColumnName() + "' (target_column_name); it has "
                    + frame.columns().stream().map(Frame.Column::name).toList());
        }
        if (spec.weightColumnName() != null && !(frame.column(spec.weightColumnName()) instanceof Frame.Numeric)) {
            throw new IllegalArgumentException(field + " has no numeric column '" + spec.weightColumnName() + "' (weight_column_name)");
        }
        return frame;
    }

    private double[] weights(Frame frame) {
        return spec.weightColumnName() == null ? null : sampleWeights(frame, spec.weightColumnName());
    }

    /** The numeric column's values as sample weights, missing and negative ones 0; null when there is no such numeric column. */
    static double[] sampleWeights(Frame frame, String column) {
        if (!(frame.column(column) instanceof Frame.Numeric numeric)) {
            return null;
        }
        double[] weights = numeric.values().clone();
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Double.isNaN(weights[i]) || weights[i] < 0 ? 0 : weights[i];
        }
        return weights;
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
