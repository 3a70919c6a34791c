package dev.atelier.server.snapshots;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A code snapshot: its content-derived id and its files, sorted by path. */
public record Snapshot(String snapshotId, int fileCount, long totalBytes, long createdAt, List<SnapshotFile> files) {
    public Snapshot {
        requireNonNull(snapshotId, "snapshotId is null");
        files = List.copyOf(files);
    }
}
