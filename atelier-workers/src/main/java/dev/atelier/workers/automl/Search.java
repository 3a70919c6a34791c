package dev.atelier.workers.automl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The search loop: trials in rounds of {@code concurrent}, each round proposed from the results of the rounds before
 * it ({@link Proposer}), so that a seed gives the same trials whatever order a round's trials finish in. Stops at
 * {@code maxTrials}, at the deadline (no round starts after it; a running trial is canceled at it), or when a trial
 * reaches the exit score. Each trial is a child run of the job's run. Not thread-safe; call {@link #run} once.
 */
final class Search {
    /** The limits and switches of a search. {@code deadline} and {@code trialTimeoutNanos} are in {@link System#nanoTime()} terms. */
    record Settings(List<Algorithm> algorithms, int maxTrials, int concurrent, int threadsPerTrial, long deadline,
                    long trialTimeoutNanos, boolean earlyTermination, Double exitScore, long seed) {
    }

    /** Why the search ended. */
    enum Ending { MAX_TRIALS, TIMEOUT, EXIT_SCORE }

    private final Problem problem;
    private final Settings settings;
    private final Tracker tracker;
    private final Map<String, String> commonParams;
    private final Consumer<String> log;
    private final List<Trial> trials = new ArrayList<>();
    private final Map<Integer, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private Ending ending = Ending.MAX_TRIALS;

    Search(Problem problem, Settings settings, Tracker tracker, Map<String, String> commonParams, Consumer<String> log) {
        this.problem = requireNonNull(problem, "problem is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.commonParams = Map.copyOf(commonParams);
        this.log = requireNonNull(log, "log is null");
    }

    List<Trial> run() {
        int features = problem.features().length == 0 ? 0 : problem.features()[0].length;
        Proposer proposer = new Proposer(settings.algorithms(), problem.primary(), features, settings.seed());
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrent());
        try {
            while (trials.size() < settings.maxTrials()) {
                if (System.nanoTime() >= settings.deadline()) {
                    ending = Ending.TIMEOUT;
                    break;
                }
                List<Trial> history = List.copyOf(trials);
                BiPredicate<Integer, Double> stopEarly = stopRule(history);
                int size = Math.min(settings.concurrent(), settings.maxTrials() - trials.size());
                List<Future<Trial>> round = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    Proposer.Proposal proposal = proposer.next(history);
                    int index = trials.size() + i;
                    round.add(pool.submit(() -> runTrial(index, proposal, stopEarly)));
                }
                for (Future<Trial> future : round) {
                    trials.add(future.get());
                }
                dropUnneededPredictions();
                if (settings.exitScore() != null && trials.stream().anyMatch(this::reachesExitScore)) {
                    ending = Ending.EXIT_SCORE;
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending = Ending.TIMEOUT;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a trial could not be recorded: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(trials);
    }

    /** Keeps the predictions of the trials ensembles may use only: a thousand trials' predictions would not fit in memory. */
    private void dropUnneededPredictions() {
        java.util.Set<Integer> kept = new java.util.HashSet<>();
        Ensembles.candidates(trials, problem.primary()).forEach(trial -> kept.add(trial.index()));
        for (int i = 0; i < trials.size(); i++) {
            Trial trial = trials.get(i);
            if (trial.predictions() != null && !kept.contains(trial.index())) {
                trials.set(i, trial.withoutPredictions());
            }
        }
    }

    Ending ending() {
        return ending;
    }

    /** When each trial (by index) started, in {@link System#nanoTime()} terms. */
    Map<Integer, Long> startedAt() {
        return Map.copyOf(startedAt);
    }

    private boolean reachesExitScore(Trial trial) {
        return trial.completed() && problem.primary().toScore(trial.score()) >= problem.primary().toScore(settings.exitScore());
    }

    /**
     * The median stopping rule: after split s, a trial stops when its mean metric so far is worse than the median of
     * the earlier trials' means after split s (once at least 5 earlier trials got that far). Off when disabled.
     */
    private BiPredicate<Integer, Double> stopRule(List<Trial> history) {
        if (!settings.earlyTermination()) {
            return (split, running) -> false;
        }
        return (split, running) -> {
            List<Double> others = new ArrayList<>();
            for (Trial trial : history) {
                if (trial.foldScores().size() > split) {
                    others.add(problem.primary().toScore(trial.foldScores().subList(0, split + 1).stream()
                            .mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
                }
            }
            if (others.size() < 5) {
                return false;
            }
            others.sort(null);
            double median = others.get(others.size() / 2);
            return problem.primary().toScore(running) < median;
        };
    }

    private Trial runTrial(int index, Proposer.Proposal proposal, BiPredicate<Integer, Double> stopEarly) {
        String name = proposal.algorithm().azureName() + "_" + index;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("automl.algorithm", proposal.algorithm().azureName());
        tags.put("automl.trial", Integer.toString(index));
        String runId = tracker.startChild(name, tags);
        Map<String, String> params = new LinkedHashMap<>(commonParams);
        params.put("algorithm", proposal.algorithm().azureName());
        proposal.config().forEach((key, value) -> params.put(key, String.valueOf(value)));
        tracker.log(runId, Map.of(), params, Map.of());
        long now = System.nanoTime();
        startedAt.put(index, now);
        long deadline = settings.trialTimeoutNanos() > 0 ? Math.min(settings.deadline(), now + settings.trialTimeoutNanos()) : settings.deadline();
        Trial trial = TrialRunner.run(problem, index, name, runId, proposal.algorithm(), proposal.config(),
                settings.seed() + 1000L * (index + 1), settings.threadsPerTrial(), deadline, stopEarly);
        Map<String, String> endTags = new LinkedHashMap<>();
        endTags.put("automl.status", trial.status());
        if (trial.error() != null) {
            endTags.put("automl.error", trial.error().length() > 4000 ? trial.error().substring(0, 4000) : trial.error());
        }
        tracker.log(runId, trial.metrics(), Map.of(), endTags);
        tracker.end(runId, switch (trial.status()) {
            case Trial.COMPLETED -> "FINISHED";
            case Trial.FAILED -> "FAILED";
            default -> "KILLED";
        });
        log.accept(String.format("%-28s %-16s %s", name, trial.status(), trial.score() == null ? "" : problem.primary().azureName() + "=" + trial.score()));
        return trial;
    }
}
