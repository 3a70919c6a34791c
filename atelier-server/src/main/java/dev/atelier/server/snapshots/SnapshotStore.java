package dev.atelier.server.snapshots;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Snapshot manifests and the rows of their blobs, per workspace. Implementations are thread-safe. */
interface SnapshotStore {
    /** Inserts a snapshot unless one with that id exists (the same content); the files must be sorted by path. */
    void create(String workspace, String snapshotId, List<SnapshotFile> files, long createdAt);

    Optional<Snapshot> get(String workspace, String snapshotId);

    /** A blob's row: {@code sizeBytes} as uploaded (0 until its upload ended). */
    record BlobRow(String workspace, String sha256, long sizeBytes) {
    }

    /** Marks blobs used now (a row of size 0 for a hash without one); committed when this returns. */
    void touchBlobs(String workspace, Collection<String> sha256s, long now);

    /** Records blobs stored (hash to size), used now, in one transaction. */
    void recordBlobs(String workspace, Map<String, Long> sizes, long now);

    boolean blobRowExists(String workspace, String sha256);

    /** The hashes of every blob row of the workspace. */
    Set<String> blobHashes(String workspace);

    /** Bytes of the workspace's blobs that no snapshot refers to. */
    long unreferencedBlobBytes(String workspace);

    /** Blobs no snapshot refers to, unused since before {@code before}. */
    List<BlobRow> unreferencedBlobs(Optional<String> workspace, long before);

    /**
     * Deletes a blob's row if no snapshot refers to it and it is unused since before {@code before};
     * true for the one caller whose delete did it.
     */
    boolean deleteUnreferencedBlob(String workspace, String sha256, long before);
}
