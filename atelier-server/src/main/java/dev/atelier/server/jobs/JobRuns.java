package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunStatus;
import dev.atelier.server.tracking.TrackingService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The MLflow run behind each job, reached through the tracking service: created at submission
 * (status SCHEDULED, tagged with the job, its snapshot and, for trials, the parent run), moved to
 * RUNNING and to its final status with the job. Thread-safe.
 */
final class JobRuns {
    static final String JOB_NAME_TAG = "atelier.job.name";
    static final String JOB_TYPE_TAG = "atelier.job.type";
    static final String SNAPSHOT_TAG = "atelier.snapshot.id";
    static final String COMPUTE_TAG = "atelier.compute";
    static final String ENVIRONMENT_TAG = "atelier.environment";
    static final String PARENT_RUN_TAG = "mlflow.parentRunId";
    static final String EARLY_TERMINATED_TAG = "atelier.sweep.early_terminated";
    static final String PIPELINE_STEP_TAG = "atelier.pipeline.step";
    static final String REUSED_STEPS_TAG = "atelier.pipeline.reused_steps";

    private final TrackingService tracking;

    JobRuns(TrackingService tracking) {
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    /** The id of the experiment of that name, created when absent. */
    String experimentId(String workspace, String name) {
        try {
            return tracking.getExperimentByName(workspace, name).experimentId();
        } catch (AtelierException missing) {
            if (missing.errorCode() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw missing;
            }
        }
        try {
            return tracking.createExperiment(workspace, name, Optional.empty(), List.of()).experimentId();
        } catch (AtelierException raced) {
            return tracking.getExperimentByName(workspace, name).experimentId();
        }
    }

    /** Creates the job's run, SCHEDULED, and returns its id. */
    String create(String workspace, String experimentId, String runName, String user, Map<String, String> tags) {
        List<KeyValue> all = new ArrayList<>();
        tags.forEach((key, value) -> all.add(new KeyValue(key, value)));
        all.add(new KeyValue("mlflow.user", user));
        Run run = tracking.createRun(workspace, experimentId, Optional.of(user), Optional.empty(), Optional.of(runName), all);
        String runId = run.info().runId();
        tracking.updateRun(workspace, runId, Optional.of(RunStatus.SCHEDULED), Optional.empty(), Optional.empty());
        return runId;
    }

    void setStatus(String workspace, String runId, JobStatus status, Optional<Long> endTime) {
        tracking.updateRun(workspace, runId, Optional.of(status.runStatus()), endTime, Optional.empty());
    }

    void logParams(String workspace, String runId, Map<String, String> params) {
        List<KeyValue> values = params.entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList();
        tracking.logBatch(workspace, runId, List.of(), values, List.of());
    }

    void setTags(String workspace, String runId, Map<String, String> tags) {
        List<KeyValue> values = tags.entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList();
        tracking.logBatch(workspace, runId, List.of(), List.of(), values);
    }

    void logMetric(String workspace, String runId, String key, double value, long time) {
        tracking.logBatch(workspace, runId, List.of(new Metric(key, value, time, 0)), List.of(), List.of());
    }

    /** Every value the run logged for {@code key}, by step then time. */
    List<Double> metricValues(String workspace, String runId, String key) {
        return tracking.getMetricHistory(workspace, runId, key, Optional.empty(), Optional.empty()).items().stream()
                .sorted(java.util.Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp))
                .map(Metric::value)
                .toList();
    }

    /** The run's artifact URI, such as {@code mlflow-artifacts:/1/<run>/artifacts}. */
    String artifactUri(String workspace, String runId) {
        return tracking.getRunInfo(workspace, runId).artifactUri();
    }
}
