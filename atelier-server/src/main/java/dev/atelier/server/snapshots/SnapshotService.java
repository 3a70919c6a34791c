package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Content-addressed code snapshots (docs/jobs.md, "Code snapshots"). A client announces the
 * manifest ({@link #missingBlobs}), uploads the blobs the server lacks ({@link #putBlob}) and
 * creates the snapshot ({@link #create}); every step checks paths and the size limit first, so a
 * folder over the limit is refused before any byte is sent. Thread-safe.
 */
public final class SnapshotService implements WorkspaceParticipant {
    private final SnapshotStore store;
    private final BlobStore blobs;
    private final long maxBytes;
    private final Clock clock;

    public SnapshotService(Database database, Path blobRoot, long maxBytes, Clock clock) {
        this.store = new JdbcSnapshotStore(requireNonNull(database, "database is null"));
        this.blobs = new BlobStore(blobRoot);
        this.clock = requireNonNull(clock, "clock is null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Checks a manifest and returns the hashes whose content the server does not hold yet. */
    public List<String> missingBlobs(String workspace, List<SnapshotFile> files) {
        List<SnapshotFile> sorted = SnapshotManifest.check(files, maxBytes);
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        sorted.stream().map(SnapshotFile::sha256).filter(hash -> !blobs.exists(workspace, hash)).forEach(missing::add);
        return List.copyOf(missing);
    }

    /** Stores one blob, verifying that its content hashes to {@code sha256}; returns its size. */
    public long putBlob(String workspace, String sha256, InputStream content) {
        if (!SnapshotManifest.SHA256.matcher(sha256).matches()) {
            throw AtelierException.invalidParameter("Invalid sha256 '" + sha256 + "': expected 64 lowercase hex digits");
        }
        return io(() -> blobs.write(workspace, sha256, content, maxBytes));
    }

    /**
     * Stores many blobs sent in one body, each framed as {@code <sha256> <size>\n} followed by exactly
     * {@code size} bytes (small files cost a request each otherwise). Blobs before a bad frame stay
     * stored: each is verified on its own, and a blob is only ever stored under its own hash.
     * Returns the number of blobs stored.
     */
    public int putBlobs(String workspace, InputStream body) {
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
            BlobFrames.Limited content = new BlobFrames.Limited(body, size);
            io(() -> blobs.write(workspace, parts[0], content, maxBytes));
            if (content.remaining() != 0) {
                throw AtelierException.invalidParameter("The body ended inside the blob " + parts[0]);
            }
            count++;
        }
    }

    /** Creates (or finds, for the same content) the snapshot of these files; every blob must have been uploaded. */
    public Snapshot create(String workspace, List<SnapshotFile> files) {
        List<SnapshotFile> sorted = SnapshotManifest.check(files, maxBytes);
        for (SnapshotFile file : sorted) {
            if (!blobs.exists(workspace, file.sha256())) {
                throw AtelierException.invalidParameter("The content of '" + file.path() + "' (sha256 " + file.sha256()
                        + ") was not uploaded");
            }
        }
        String id = SnapshotManifest.idOf(sorted);
        store.create(workspace, id, sorted, clock.millis());
        return get(workspace, id);
    }

    public Snapshot get(String workspace, String snapshotId) {
        return store.get(workspace, snapshotId).orElseThrow(() -> AtelierException.notFound("Snapshot '" + snapshotId
                + "' does not exist in workspace '" + workspace + "'"));
    }

    /** Opens one file of a snapshot; RESOURCE_DOES_NOT_EXIST when the snapshot has no such file. */
    public InputStream openFile(String workspace, String snapshotId, String path) {
        SnapshotFile file = get(workspace, snapshotId).files().stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> AtelierException.notFound("Snapshot '" + snapshotId + "' has no file '" + path + "'"));
        return io(() -> blobs.open(workspace, file.sha256()));
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
                    try (InputStream in = blobs.open(workspace, file.sha256())) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
            return null;
        });
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
