package dev.atelier.workers.automl;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A trial of the search: a learner with its configuration, validated on the problem's splits. {@code predictions}
 * are those of the evaluated rows (out of fold for cross-validation), kept for ensembles; null unless Completed and
 * among the best {@link Ensembles#MEMBERS} (the search drops the others).
 *
 * @param status Completed, Failed, Canceled (past its time limit) or EarlyTerminated
 * @param score    the primary metric's value (the partial one for an early-terminated trial), null when none
 * @param ensemble for a vote or stack ensemble, its members; null for a trial of one learner
 */
public record Trial(int index, String name, String runId, Algorithm algorithm, Map<String, Object> config,
                    String status, Double score, Map<String, Double> metrics, double[][] predictions,
                    List<Double> foldScores, long durationMs, String error, Ensembles.Built ensemble) {
    public static final String COMPLETED = "Completed";
    public static final String FAILED = "Failed";
    public static final String CANCELED = "Canceled";
    public static final String EARLY_TERMINATED = "EarlyTerminated";

    public Trial {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        foldScores = foldScores == null ? List.of() : List.copyOf(foldScores);
    }

    /** A trial of one learner. */
    public Trial(int index, String name, String runId, Algorithm algorithm, Map<String, Object> config, String status, Double score,
                 Map<String, Double> metrics, double[][] predictions, List<Double> foldScores, long durationMs, String error) {
        this(index, name, runId, algorithm, config, status, score, metrics, predictions, foldScores, durationMs, error, null);
    }

    /** This trial without its predictions (kept only for the trials an ensemble may use). */
    public Trial withoutPredictions() {
        return new Trial(index, name, runId, algorithm, config, status, score, metrics, null, foldScores, durationMs, error, ensemble);
    }

    public boolean completed() {
        return status.equals(COMPLETED);
    }

    /** The row of automl_result.json; {@code startedMs} is when the trial started, in milliseconds since the job's start. */
    public AutoMlResult.Trial row(long startedMs) {
        return new AutoMlResult.Trial(runId, name, algorithm == null ? name.replaceFirst("_\\d+$", "") : algorithm.azureName(),
                score, status, startedMs, durationMs);
    }
}
