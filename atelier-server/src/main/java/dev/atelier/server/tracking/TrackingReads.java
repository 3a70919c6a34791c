package dev.atelier.server.tracking;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads of tracking data that MLflow's API has no call for and the portal needs: metric histories
 * downsampled for charts, run counts, and a run's artifact files. Every read is scoped to a
 * workspace; a run of another workspace is not found. Thread-safe.
 */
public final class TrackingReads {
    private final TrackingService tracking;

    public TrackingReads(TrackingService tracking) {
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    /**
     * A metric's points within [startStep, endStep] downsampled on the server to at most
     * {@code maxPoints} (2 to 10,000) for charts: see {@link TrackingStore#sampleMetricHistory}.
     */
    public List<Metric> sampleMetricHistory(String workspace, String runId, String key, Optional<Long> startStep,
                                            Optional<Long> endStep, int maxPoints) {
        if (maxPoints < 2 || maxPoints > 10_000) {
            throw AtelierException.invalidParameter("max_points must be between 2 and 10000, got " + maxPoints);
        }
        tracking.getRunInfo(workspace, runId);
        return tracking.store().sampleMetricHistory(runId, key, startStep.orElse(Long.MIN_VALUE), endStep.orElse(Long.MAX_VALUE),
                maxPoints);
    }

    /**
     * Several metrics of several runs in one read, each series downsampled to at most {@code maxPoints} (2 to
     * 10,000): run id to key to points; see {@link TrackingStore#sampleMetricHistories}. Runs of another workspace
     * are left out. At most 1,000 runs and 1,000 keys.
     */
    public Map<String, Map<String, List<Metric>>> sampleMetricHistories(String workspace, List<String> runIds, List<String> keys,
                                                                       int maxPoints) {
        if (maxPoints < 2 || maxPoints > 10_000) {
            throw AtelierException.invalidParameter("max_points must be between 2 and 10000, got " + maxPoints);
        }
        if (runIds.size() > 1000 || keys.size() > 1000) {
            throw AtelierException.invalidParameter("At most 1000 runs and 1000 metric keys can be sampled at once");
        }
        return tracking.store().sampleMetricHistories(workspace, runIds, keys, maxPoints);
    }

    /** Active and running runs of the workspace. */
    public TrackingStore.RunCounts countRuns(String workspace) {
        return tracking.store().countRuns(workspace);
    }

    /** Opens one file of a run's artifacts ({@code path} relative to the run's artifact root); the caller closes it. */
    public ArtifactContent openRunArtifact(String workspace, String runId, String path) {
        return tracking.artifacts().open(workspace, tracking.getRunInfo(workspace, runId).artifactUri(), path);
    }
}
