package dev.atelier.server.tracking;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of experiments, runs and their metrics, params, tags and inputs, named as MLflow's
 * AbstractStore names its methods. Every method is scoped to one workspace. Writes are atomic:
 * a method either commits all it was given or nothing. Implementations are thread-safe.
 */
public interface TrackingStore {
    /** Creates the experiment with the next id of the workspace; RESOURCE_ALREADY_EXISTS on a taken name. */
    Experiment createExperiment(String workspace, String name, Optional<String> artifactLocation, List<KeyValue> tags, long time);

    /** Creates experiment 0 "Default" when the workspace has none; idempotent. */
    void ensureDefaultExperiment(String workspace, long time);

    Optional<Experiment> getExperiment(String workspace, long experimentId);

    /** Whether the workspace has the experiment, in any lifecycle stage: what runs/search checks first, without its tags. */
    default boolean experimentExists(String workspace, long experimentId) {
        return getExperiment(workspace, experimentId).isPresent();
    }

    Optional<Experiment> getExperimentByName(String workspace, String name);

    /** Marks the experiment and its active runs deleted at {@code time}. */
    void deleteExperiment(String workspace, long experimentId, long time);

    /** Marks the experiment active again with the runs its deletion deleted. */
    void restoreExperiment(String workspace, long experimentId, long time);

    /** RESOURCE_ALREADY_EXISTS when the new name is taken. */
    void renameExperiment(String workspace, long experimentId, String newName, long time);

    void setExperimentTag(String workspace, long experimentId, KeyValue tag);

    /** Returns false when the tag did not exist. */
    boolean deleteExperimentTag(String workspace, long experimentId, String key);

    /** Ids of one page of experiments matching the query, in order; {@code limit + 1} rows tell if there is more. */
    List<Experiment> searchExperiments(String workspace, ExperimentQuery query, int limit, int offset);

    /**
     * Creates a run, with its tags, in an experiment that exists and is active, in one statement
     * that also reads the experiment; its artifact URI is the experiment's artifact location
     * followed by {@code /<run_id>/artifacts}. Empty when the experiment is missing or deleted.
     */
    Optional<RunInfo> createRun(String workspace, NewRun run, List<KeyValue> tags);

    Optional<RunInfo> getRunInfo(String workspace, String runId);

    Optional<Run> getRun(String workspace, String runId);

    /** Runs in the order of {@code runIds}; ids not found are skipped. */
    List<Run> getRuns(String workspace, List<String> runIds);

    void updateRunInfo(String runId, RunStatus status, Optional<Long> endTime, Optional<String> runName);

    void deleteRun(String runId, long time);

    void restoreRun(String runId);

    /**
     * Logs metrics, params and tags in one transaction. A param already logged with another value
     * fails the whole batch with INVALID_PARAMETER_VALUE.
     */
    void logBatch(String runId, List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags);

    /** Returns false when the tag did not exist. */
    boolean deleteTag(String runId, String key);

    /** Points of one metric ordered by step then timestamp; {@code limit + 1} rows tell if there is more. */
    List<Metric> getMetricHistory(String runId, String key, int limit, int offset);

    /** Distinct steps of a metric within [startStep, endStep], ascending. */
    List<Long> getMetricSteps(String runId, String key, long startStep, long endStep);

    /** Points of a metric at the given steps, ordered by step then timestamp. */
    List<Metric> getMetricsAtSteps(String runId, String key, Collection<Long> steps);

    void logInputs(String workspace, long experimentId, String runId, List<DatasetInput> inputs);

    /** Ids of one page of runs matching the query, in order; {@code limit + 1} ids tell if there is more. */
    List<String> searchRunIds(String workspace, RunQuery query, int limit, int offset);

    /** Deleted runs of the workspace (or all workspaces) deleted at or before {@code deletedBefore}. */
    List<DeletedRun> findDeletedRuns(Optional<String> workspace, long deletedBefore);

    /** Deleted experiments of the workspace (or all workspaces) deleted at or before {@code deletedBefore}. */
    List<DeletedExperiment> findDeletedExperiments(Optional<String> workspace, long deletedBefore);

    /** Removes runs with all their rows for good; reports the rows removed (artifacts not counted). */
    GarbageReport purgeRuns(List<String> runIds);

    /** Removes an experiment for good, with its runs (which the caller purged first). */
    void purgeExperiment(String workspace, long experimentId);

    /**
     * At most {@code maxPoints} points of a metric within [startStep, endStep], for charts: every
     * point when there are no more, otherwise the first point at or after each of {@code maxPoints}
     * steps spread evenly from the first step to the last (both included). Reads only the points it
     * returns, so a million-point history costs {@code maxPoints} index seeks.
     */
    List<Metric> sampleMetricHistory(String runId, String key, long startStep, long endStep, int maxPoints);

    /**
     * The histories of several metrics of several runs of a workspace in one read, each downsampled as
     * {@link #sampleMetricHistory} does over its whole step range: run id to metric key to points. Runs of
     * another workspace, and runs or keys without points, are absent. At most 1,000 run ids and 1,000 keys.
     */
    Map<String, Map<String, List<Metric>>> sampleMetricHistories(String workspace, List<String> runIds, List<String> keys,
                                                                 int maxPoints);

    /** The active runs of a workspace, and how many of them are running. */
    RunCounts countRuns(String workspace);

    /** How many active runs a workspace holds. */
    record RunCounts(long active, long running) {
    }

    /** Whether the workspace has any run or any experiment besides Default. */
    boolean holdsData(String workspace);

    /** A run found for garbage collection. */
    record DeletedRun(String workspace, String runId, String artifactUri) {
    }

    /** An experiment found for garbage collection. */
    record DeletedExperiment(String workspace, long experimentId, String artifactLocation) {
    }
}
