package dev.atelier.server.data;

import static java.util.Objects.requireNonNull;

/**
 * One recorded use of a data version by a run.
 *
 * @param source who recorded it: {@code api}, {@code job:<id>}, or {@code mlflow} for a run's logged dataset input
 */
public record LineageRecord(String name, int version, String runId, LineageDirection direction, String source, long recordedAt) {
    public LineageRecord {
        requireNonNull(name, "name is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(direction, "direction is null");
        requireNonNull(source, "source is null");
    }
}
