package dev.atelier.server.snapshots;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Snapshot manifests and the rows of their blobs, per workspace. Implementations are thread-safe. */
interface SnapshotStore {
    /** Inserts a snapshot unless one with that id exists (the same content); the files must be sorted by path. */
    void create(String workspace, String snapshotId, List<SnapshotFile> files, long createdAt);

    Optional<Snapshot> get(String workspace, String snapshotId);

    /**
     * A blob's row: {@code sizeBytes} as uploaded (0 until its upload ended); {@code sharedKey} names its object in the
     * shared artifact store ({@link SharedBlobs}) once it is there.
     */
    record BlobRow(String workspace, String sha256, long sizeBytes, Optional<String> sharedKey) {
        public BlobRow {
            requireNonNull(sharedKey, "sharedKey is null");
        }
    }

    /** Marks blobs used now (a row of size 0 for a hash without one); committed when this returns. */
    void touchBlobs(String workspace, Collection<String> sha256s, long now);

    /** Records blobs stored (hash to size), used now, in one transaction. */
    void recordBlobs(String workspace, Map<String, Long> sizes, long now);

    boolean blobRowExists(String workspace, String sha256);

    /** The key of the blob in the shared artifact store, when its row has one. */
    Optional<String> sharedKey(String workspace, String sha256);

    /**
     * Records a blob written to the shared store under {@code key} (and its size, used now) unless its row has a key
     * already; false when it had one (another upload won: the caller deletes its own key) or the row is gone.
     */
    boolean recordShared(String workspace, String sha256, long sizeBytes, String key, long now);

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
