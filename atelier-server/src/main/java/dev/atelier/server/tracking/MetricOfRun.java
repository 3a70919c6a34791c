package dev.atelier.server.tracking;

import static java.util.Objects.requireNonNull;

/** A metric point with the run it belongs to, as get-history-bulk-interval answers it. */
public record MetricOfRun(String key, double value, long timestamp, long step, String runId) {
    public MetricOfRun {
        requireNonNull(key, "key is null");
        requireNonNull(runId, "runId is null");
    }
}
