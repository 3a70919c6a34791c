package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.uploads.InsufficientStorage;
import dev.atelier.server.uploads.PendingUploads;
import dev.atelier.server.uploads.SweepReport;
import dev.atelier.server.uploads.UploadQuota;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Content-addressed code snapshots (docs/jobs.md, "Code snapshots"). A client announces the
 * manifest ({@link #missingBlobs}), uploads the blobs the server lacks ({@link #putBlob}) and
 * creates the snapshot ({@link #create}); every step checks paths and the size limit first, so a
 * folder over the limit is refused before any byte is sent.
 *
 * <p>Blobs count against the workspace's upload quota until a snapshot refers to them, and a blob
 * no snapshot refers to expires (docs/security.md, "Upload limits"). The contract that keeps a
 * sweep from removing a blob a snapshot needs: every step that names a blob (missing-blobs,
 * create, an upload) first marks its row used now, committed, and only then looks at the file or
 * puts it in place. An upload writes and verifies its blobs as temporary files, then marks all
 * their rows used in one statement, moves the files into place and records their sizes in one
 * more (two writes per request however many blobs a batch holds). The sweep deletes a row only when no snapshot refers to it and it is unused for the expiry
 * (one conditional statement, so a concurrent touch wins), then moves the file aside and puts it
 * back if a row appeared meanwhile ({@link BlobStore#expire}). A snapshot being assembled thus
 * keeps its blobs for the expiry after its last step; a blob swept before create is reported
 * missing by create, never silently lost. Files without a row unchanged for the expiry (blobs
 * stored before rows were kept, leftovers of a failed write or sweep) are removed the same way.
 *
 * <p>On PostgreSQL (several servers may share the database) blobs are also written to the shared artifact store
 * ({@link SharedBlobs}) and a blob is held when its row names its key there; the local folder is then a cache that
 * any server fills on a read, so a snapshot uploaded through one server is read through any other. On SQLite (one
 * server) the local folder is the only copy, as fast as before. Thread-safe.
 */
public final class SnapshotService implements WorkspaceParticipant, PendingUploads {
    private final SnapshotStore store;
    private final BlobStore blobs;
    private final long maxBytes;
    private final UploadQuota quota;
    private final Clock clock;
    private final Optional<SharedBlobs> shared;

    /** Without an upload quota (services built beside a server in tests). */
    public SnapshotService(Database database, Path blobRoot, long maxBytes, Clock clock) {
        this(database, blobRoot, maxBytes, UploadQuota.unlimited(), clock);
    }

    /** Counts its unreferenced blobs against {@code quota}; the caller adds it to the quota's sources. */
    public SnapshotService(Database database, Path blobRoot, long maxBytes, UploadQuota quota, Clock clock) {
        this(database, blobRoot, maxBytes, quota, clock, Optional.empty());
    }

    /**
     * With {@code sharedStore}, the artifact store every server sharing the database reaches: blobs go there too when the
     * database is PostgreSQL (see the class comment).
     */
    public SnapshotService(Database database, Path blobRoot, long maxBytes, UploadQuota quota, Clock clock,
                           Optional<ArtifactRepository> sharedStore) {
        this.store = new JdbcSnapshotStore(requireNonNull(database, "database is null"));
        this.blobs = new BlobStore(blobRoot);
        this.shared = database.dialect() == Database.Dialect.POSTGRESQL
                ? sharedStore.map(repository -> new SharedBlobs(repository, store, blobs, clock)) : Optional.empty();
        this.quota = requireNonNull(quota, "quota is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Checks a manifest and returns the hashes whose content the server does not hold yet; marks the
     * ones it holds used (they stay for the expiry). QUOTA_EXCEEDED when the missing ones would take
     * the workspace over its upload quota, before any byte is sent.
     */
    public List<String> missingBlobs(String workspace, List<SnapshotFile> files) {
        List<SnapshotFile> sorted = SnapshotManifest.check(files, maxBytes);
        store.touchBlobs(workspace, sorted.stream().map(SnapshotFile::sha256).distinct().toList(), clock.millis());
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        long missingBytes = 0;
        for (SnapshotFile file : sorted) {
            if (!held(workspace, file.sha256()) && missing.add(file.sha256())) {
                missingBytes += file.size();
            }
        }
        if (missingBytes > 0) {
            quota.check(workspace, missingBytes);
        }
        return List.copyOf(missing);
    }

    /**
     * Stores one blob, verifying that its content hashes to {@code sha256}; returns its size.
     * {@code declaredBytes} (the Content-Length, -1 when unknown) is checked against the quota first.
     */
    public long putBlob(String workspace, String sha256, InputStream content, long declaredBytes) {
        if (!SnapshotManifest.SHA256.matcher(sha256).matches()) {
            throw AtelierException.invalidParameter("Invalid sha256 '" + sha256 + "': expected 64 lowercase hex digits");
        }
        long remaining = held(workspace, sha256) ? Long.MAX_VALUE : quota.remaining(workspace);
        if (declaredBytes > remaining) {
            throw quota.exceeded(workspace, quota.used(workspace), declaredBytes);
        }
        BlobStore.Staged staged = stage(workspace, sha256, content, remaining);
        install(workspace, List.of(staged));
        return staged.sizeBytes();
    }

    /** Writes and verifies the blob as a temporary file within the snapshot limit and {@code remaining} quota. */
    private BlobStore.Staged stage(String workspace, String sha256, InputStream content, long remaining) {
        Supplier<AtelierException> tooLarge = remaining < maxBytes
                ? () -> quota.exceeded(workspace, quota.used(workspace), Long.MAX_VALUE)
                : () -> new AtelierException(ErrorCode.RESOURCE_LIMIT_EXCEEDED, "The file is larger than the snapshot limit of "
                        + maxBytes + " bytes");
        try {
            return blobs.stage(workspace, sha256, content, Math.min(maxBytes, remaining), tooLarge);
        } catch (IOException e) {
            throw InsufficientStorage.of(e, "snapshot blob " + sha256);
        }
    }

    /**
     * Puts staged blobs in place: their rows are marked used now (committed) before any file appears
     * under its hash, so a sweep cannot take one meanwhile (see the class comment); the sizes of those
     * moved into place are recorded after. Temporary files left over are deleted.
     */
    private void install(String workspace, List<BlobStore.Staged> staged) {
        if (staged.isEmpty()) {
            return;
        }
        try {
            store.touchBlobs(workspace, staged.stream().map(BlobStore.Staged::sha256).distinct().toList(), clock.millis());
            Map<String, Long> installed = new LinkedHashMap<>();
            try {
                for (BlobStore.Staged blob : staged) {
                    try {
                        blobs.install(blob);
                    } catch (IOException e) {
                        throw InsufficientStorage.of(e, "snapshot blob " + blob.sha256());
                    }
                    installed.put(blob.sha256(), blob.sizeBytes());
                    if (shared.isPresent()) {
                        shared.get().share(workspace, blob);
                    }
                }
            } finally {
                store.recordBlobs(workspace, installed, clock.millis());
            }
        } finally {
            for (BlobStore.Staged blob : staged) {
                try {
                    blobs.discard(blob);
                } catch (IOException e) {
                    // A leftover .tmp file: the sweep removes it after the expiry.
                }
            }
        }
    }

    /** Whether the server holds the blob: its row names a shared key (PostgreSQL), or its local file is there. */
    private boolean held(String workspace, String sha256) {
        return shared.isPresent() ? store.sharedKey(workspace, sha256).isPresent() : blobs.exists(workspace, sha256);
    }

    /** Fills the local cache from the shared store when the blob is not on this server's disk (PostgreSQL only). */
    private void cached(String workspace, String sha256) throws IOException {
        if (shared.isPresent()) {
            shared.get().cache(workspace, sha256);
        }
    }

    /**
     * Stores many blobs sent in one body, each framed as {@code <sha256> <size>\n} followed by exactly
     * {@code size} bytes (small files cost a request each otherwise). Blobs before a bad frame stay
     * stored: each is verified on its own, and a blob is only ever stored under its own hash.
     * Returns the number of blobs stored.
     */
    public int putBlobs(String workspace, InputStream body) {
        long remaining = quota.remaining(workspace);
        List<BlobStore.Staged> staged = new ArrayList<>();
        try {
            return putFrames(workspace, body, remaining, staged);
        } finally {
            install(workspace, staged);
        }
    }

    private int putFrames(String workspace, InputStream body, long remaining, List<BlobStore.Staged> staged) {
        int count = 0;
        while (true) {
            String header = io(() -> BlobFrames.readHeader(body));
            if (header == null) {
                return count;
            }
            String[] parts = header.split(" ");
            if (parts.length != 2 || !SnapshotManifest.SHA256.matcher(parts[0]).matches() || !parts[1].matches("\\d{1,15}")) {
                throw AtelierException.invalidParameter("Invalid blob frame header '" + header + "': expected '<sha256> <size>'");
            }
            long size = Long.parseLong(parts[1]);
            boolean held = held(workspace, parts[0]);
            if (!held && size > remaining) {
                throw quota.exceeded(workspace, quota.used(workspace), size);
            }
            BlobFrames.Limited content = new BlobFrames.Limited(body, size);
            staged.add(stage(workspace, parts[0], content, held ? Long.MAX_VALUE : remaining));
            remaining -= held ? 0 : size;
            if (content.remaining() != 0) {
                throw AtelierException.invalidParameter("The body ended inside the blob " + parts[0]);
            }
            count++;
        }
    }

    /** Creates (or finds, for the same content) the snapshot of these files; every blob must have been uploaded. */
    public Snapshot create(String workspace, List<SnapshotFile> files) {
        List<SnapshotFile> sorted = SnapshotManifest.check(files, maxBytes);
        store.touchBlobs(workspace, sorted.stream().map(SnapshotFile::sha256).distinct().toList(), clock.millis());
        for (SnapshotFile file : sorted) {
            if (!held(workspace, file.sha256())) {
                throw AtelierException.invalidParameter("The content of '" + file.path() + "' (sha256 " + file.sha256()
                        + ") was not uploaded");
            }
        }
        String id = SnapshotManifest.idOf(sorted);
        store.create(workspace, id, sorted, clock.millis());
        return get(workspace, id);
    }

    /** The snapshot, or empty when the workspace has none with this id. */
    public Optional<Snapshot> find(String workspace, String snapshotId) {
        return store.get(workspace, snapshotId);
    }

    public Snapshot get(String workspace, String snapshotId) {
        return store.get(workspace, snapshotId).orElseThrow(() -> AtelierException.notFound("Snapshot '" + snapshotId
                + "' does not exist in workspace '" + workspace + "'"));
    }

    /** Opens one file of a snapshot; RESOURCE_DOES_NOT_EXIST when the snapshot has no such file. */
    public InputStream openFile(String workspace, String snapshotId, String path) {
        SnapshotFile file = get(workspace, snapshotId).files().stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> AtelierException.notFound("Snapshot '" + snapshotId + "' has no file '" + path + "'"));
        return io(() -> {
            cached(workspace, file.sha256());
            return blobs.open(workspace, file.sha256());
        });
    }

    /** Writes the snapshot's files under {@code folder} (which must be empty or absent). */
    public void materialize(String workspace, String snapshotId, Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        for (SnapshotFile file : get(workspace, snapshotId).files()) {
            Path target = root.resolve(file.path()).normalize();
            if (!target.startsWith(root)) {
                throw new IllegalStateException("snapshot path escapes its folder: " + file.path());
            }
            io(() -> {
                cached(workspace, file.sha256());
                blobs.copyTo(workspace, file.sha256(), target);
                return null;
            });
        }
    }

    /** Writes the snapshot as a zip archive (what the Kubernetes init container unpacks). */
    public void writeZip(String workspace, String snapshotId, OutputStream out) {
        Snapshot snapshot = get(workspace, snapshotId);
        io(() -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (SnapshotFile file : snapshot.files()) {
                    zip.putNextEntry(new ZipEntry(file.path()));
                    cached(workspace, file.sha256());
                    try (InputStream in = blobs.open(workspace, file.sha256())) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
            return null;
        });
    }

    /** Bytes of the workspace's blobs that no snapshot refers to (its upload quota counts them). */
    @Override
    public long pendingBytes(String workspace) {
        return store.unreferencedBlobBytes(workspace);
    }

    /** Removes blobs no snapshot refers to, unused since {@code expiredBefore}: rows first, then files (see the class comment). */
    @Override
    public SweepReport sweep(Optional<String> workspace, long expiredBefore, long now) {
        long count = 0;
        long bytes = 0;
        for (SnapshotStore.BlobRow blob : store.unreferencedBlobs(workspace, expiredBefore)) {
            if (store.deleteUnreferencedBlob(blob.workspace(), blob.sha256(), expiredBefore)) {
                boolean removed = io(() -> blobs.expire(blob.workspace(), blob.sha256(),
                        () -> store.blobRowExists(blob.workspace(), blob.sha256())));
                if (shared.isPresent() && blob.sharedKey().isPresent()) {
                    io(() -> {
                        shared.get().delete(blob.sharedKey().get()); // this upload's key only: a new one has a key of its own
                        return null;
                    });
                    removed = true;
                }
                if (removed) {
                    count++;
                    bytes += blob.sizeBytes();
                }
            }
        }
        // Files without a row: leftovers of a failed write or sweep, and blobs stored before rows were kept (V14).
        List<BlobStore.StoredFile> unchanged = io(() -> blobs.unchangedSince(workspace, expiredBefore));
        Map<String, Set<String>> rows = new HashMap<>();
        for (BlobStore.StoredFile file : unchanged) {
            if (file.leftover()) {
                io(() -> {
                    blobs.deleteLeftover(file);
                    return null;
                });
            } else if (SnapshotManifest.SHA256.matcher(file.name()).matches()
                    && !rows.computeIfAbsent(file.workspace(), store::blobHashes).contains(file.name())
                    && io(() -> blobs.expire(file.workspace(), file.name(), () -> store.blobRowExists(file.workspace(), file.name())))) {
                count++;
                bytes += file.sizeBytes();
            }
        }
        return new SweepReport(0, count, bytes);
    }

    @Override
    public void workspaceCreated(String workspace) {
        // A workspace's blob folder appears with its first upload.
    }

    /** Snapshots belong to jobs and runs; alone they do not keep a workspace from being deleted. */
    @Override
    public boolean holdsData(String workspace) {
        return false;
    }

    /** Removes the workspace's blobs (its snapshot rows went with the workspace's rows). */
    @Override
    public void workspaceDeleted(String workspace) {
        io(() -> {
            blobs.deleteWorkspace(workspace);
            if (shared.isPresent()) {
                shared.get().deleteWorkspace(workspace);
            }
            return null;
        });
    }

    private static <T> T io(IoCall<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot storage failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }
}
