package dev.atelier.workers.automl;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where AutoML records its trials: child runs of the job's run in MLflow ({@link RestTracker}), or a stand-in that
 * keeps them in memory or on disk when there is no server. Implementations are thread-safe: trials run concurrently.
 */
public interface Tracker {
    /** Starts a child run of the parent named {@code name}; returns its run id. */
    String startChild(String name, Map<String, String> tags);

    /** Logs metrics (step 0), params and tags on a run. */
    void log(String runId, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags);

    /** Ends a run: FINISHED, FAILED or KILLED. */
    void end(String runId, String status);

    /** Uploads every file under {@code folder} as the run's artifacts under {@code artifactPath}. */
    void upload(String runId, Path folder, String artifactPath);

    /** The job's own run, parent of the trials. */
    String parentRunId();
}
