package dev.atelier.server.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Removes for good the runs and experiments that were deleted before a given age, with their
 * metrics, params, tags, inputs and artifacts. What is deleted but younger stays restorable.
 * Thread-safe; concurrent collections are harmless (a row is removed once).
 */
public final class GarbageCollector {
    private final TrackingService tracking;

    public GarbageCollector(TrackingService tracking) {
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    /** Collects in one workspace, or in all when {@code workspace} is empty. */
    public GarbageReport collect(Optional<String> workspace, Duration olderThan) {
        if (olderThan.isNegative()) {
            throw dev.atelier.api.AtelierException.invalidParameter("older_than must not be negative");
        }
        long deletedBefore = tracking.clock().millis() - olderThan.toMillis();
        TrackingStore store = tracking.store();
        GarbageReport report = new GarbageReport(0, 0, 0, 0, 0, 0);

        List<TrackingStore.DeletedExperiment> experiments = store.findDeletedExperiments(workspace, deletedBefore);
        for (TrackingStore.DeletedExperiment experiment : experiments) {
            // The runs of a deleted experiment go with it, whatever their own deletion time.
            List<TrackingStore.DeletedRun> runs = store.findDeletedRuns(Optional.of(experiment.workspace()), Long.MAX_VALUE).stream()
                    .filter(run -> store.getRunInfo(run.workspace(), run.runId())
                            .map(info -> info.experimentId().equals(Long.toString(experiment.experimentId()))).orElse(false))
                    .toList();
            report = report.plus(purge(runs));
            store.purgeExperiment(experiment.workspace(), experiment.experimentId());
            long bytes = tracking.artifacts().remove(experiment.workspace(), experiment.artifactLocation());
            report = report.plus(new GarbageReport(0, 1, 0, 0, 0, bytes));
        }
        return report.plus(purge(store.findDeletedRuns(workspace, deletedBefore)));
    }

    private GarbageReport purge(List<TrackingStore.DeletedRun> runs) {
        if (runs.isEmpty()) {
            return new GarbageReport(0, 0, 0, 0, 0, 0);
        }
        GarbageReport report = tracking.store().purgeRuns(runs.stream().map(TrackingStore.DeletedRun::runId).toList());
        long bytes = 0;
        for (TrackingStore.DeletedRun run : runs) {
            bytes += tracking.artifacts().remove(run.workspace(), run.artifactUri());
        }
        return report.plus(new GarbageReport(0, 0, 0, 0, 0, bytes));
    }
}
