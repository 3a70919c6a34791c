package dev.atelier.server.snapshots;

import static java.util.Objects.requireNonNull;

/** One file of a snapshot: its relative path ({@code /}-separated), content hash and size. */
public record SnapshotFile(String path, String sha256, long size) {
    public SnapshotFile {
        requireNonNull(path, "path is null");
        requireNonNull(sha256, "sha256 is null");
    }
}
