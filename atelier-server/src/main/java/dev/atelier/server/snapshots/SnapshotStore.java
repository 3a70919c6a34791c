package dev.atelier.server.snapshots;

import java.util.List;
import java.util.Optional;

/** Snapshot manifests per workspace. Implementations are thread-safe. */
interface SnapshotStore {
    /** Inserts a snapshot unless one with that id exists (the same content); the files must be sorted by path. */
    void create(String workspace, String snapshotId, List<SnapshotFile> files, long createdAt);

    Optional<Snapshot> get(String workspace, String snapshotId);
}
