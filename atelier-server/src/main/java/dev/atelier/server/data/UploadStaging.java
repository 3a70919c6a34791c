package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.store.DurableFiles;
import dev.atelier.server.uploads.InsufficientStorage;
import dev.atelier.server.uploads.SweepReport;
import dev.atelier.server.uploads.UploadQuota;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Resumable uploads of local files before they become a data asset version: a session is a row in
 * {@code upload_sessions} and its files in {@link UploadFiles} (this server's disk, or the shared artifact store when
 * servers share PostgreSQL, so that any server continues and finishes a session); a client
 * appends chunks to each file at the offset it says it is at (a chunk at any other offset is refused
 * with the offset the server has, so a client that lost a connection asks and continues from there).
 * Sessions survive restarts and are removed when the version is registered, the session is deleted,
 * or it expires: no chunk for {@code --upload-expiry} (docs/security.md, "Upload limits"); calls on an
 * expired session answer 410 for a week, then 404. Every chunk is checked against the workspace's
 * upload quota before a byte is written (by its Content-Length, or while it streams), and a chunk
 * refused for the quota leaves the file as it was. Appends to one file are serialized within a server (across servers,
 * the first chunk recorded at an offset wins); each chunk is durable before it is acknowledged. Thread-safe.
 */
final class UploadStaging {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final int BUFFER_BYTES = 128 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadStaging.class);

    /**
     * Appends a chunk to a file: the seam tests use to fail a write as a full disk does.
     * {@link #DISK} is the real one.
     */
    @FunctionalInterface
    interface ChunkWriter {
        /**
         * Appends at most {@code maxBytes} of {@code content} to {@code file}, which holds {@code offset} bytes, and
         * forces it to disk; returns the file's new size, or -1 when the content holds more than {@code maxBytes}
         * (the file is then cut back to {@code offset}).
         */
        long append(Path file, long offset, InputStream content, long maxBytes) throws IOException;
    }

    static final ChunkWriter DISK = (file, offset, content, maxBytes) -> {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.position(offset);
            byte[] buffer = new byte[BUFFER_BYTES];
            long written = 0;
            for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                written += read;
                if (written > maxBytes) {
                    channel.truncate(offset);
                    return -1;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            channel.force(true);
            if (offset == 0) {
                DurableFiles.syncFolder(file.getParent()); // the file's name, new with its first chunk
            }
            return channel.size();
        }
    };

    private final UploadFiles files;
    private final UploadSessionStore sessions;
    private final UploadQuota quota;
    private final Clock clock;
    /** The lock of each file with appends in flight; an entry lives only while an append uses it. */
    private final ConcurrentHashMap<String, FileLock> locks = new ConcurrentHashMap<>();

    /** Serializes the appends to one file; {@code users} counts the appends holding or awaiting it (under the map's lock). */
    private static final class FileLock {
        int users;
    }

    /** Files under {@code root} on this server's disk, written through {@code writer}. */
    UploadStaging(Path root, UploadSessionStore sessions, UploadQuota quota, Clock clock, ChunkWriter writer) {
        this(new LocalUploadFiles(root, writer), sessions, quota, clock);
    }

    UploadStaging(UploadFiles files, UploadSessionStore sessions, UploadQuota quota, Clock clock) {
        this.files = requireNonNull(files, "files is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.quota = requireNonNull(quota, "quota is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts a session; with {@code declaredBytes} (the total the client will send) the quota is checked first. */
    String create(String workspace, Optional<Long> declaredBytes) {
        declaredBytes.ifPresent(bytes -> quota.check(workspace, bytes));
        String id = UUID.randomUUID().toString().replace("-", "");
        sessions.create(workspace, id, clock.millis());
        try {
            files.create(workspace, id);
        } catch (IOException e) {
            sessions.delete(workspace, id);
            throw InsufficientStorage.of(e, "upload session '" + id + "'");
        }
        return id;
    }

    /**
     * Appends {@code content} to {@code path} when {@code offset} is the file's current size; returns the new size.
     * {@code declaredBytes} is the chunk's Content-Length, -1 when unknown.
     */
    long append(String workspace, String id, ArtifactPath path, long offset, InputStream content, long declaredBytes) {
        if (path.isRoot()) {
            throw AtelierException.invalidParameter("A file path is required to upload a chunk");
        }
        existingSession(workspace, id);
        String file = workspace + "/" + id + "/" + path.value();
        FileLock lock = locks.compute(file, (key, held) -> {
            FileLock used = held == null ? new FileLock() : held;
            used.users++;
            return used;
        });
        try {
            synchronized (lock) {
                return appendLocked(workspace, id, path, offset, content, declaredBytes);
            }
        } finally {
            locks.computeIfPresent(file, (key, held) -> --held.users == 0 ? null : held);
        }
    }

    /** How many files have appends in flight (their locks are held in memory only meanwhile). */
    int filesBeingAppended() {
        return locks.size();
    }

    private long appendLocked(String workspace, String id, ArtifactPath path, long offset, InputStream content, long declaredBytes) {
        long size;
        long newSize;
        try {
            size = files.size(workspace, id, path);
            if (offset != size) {
                throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Upload '" + id + "' holds " + size + " bytes of '"
                        + path + "'; send the chunk at offset " + size + ", not " + offset);
            }
            long used = quota.used(workspace);
            long remaining = Math.max(0, quota.limits().workspaceQuotaBytes() - used);
            if (declaredBytes > remaining) {
                throw quota.exceeded(workspace, used, declaredBytes);
            }
            newSize = files.append(workspace, id, path, offset, content, remaining);
            if (newSize < 0) {
                throw quota.exceeded(workspace, used, Long.MAX_VALUE);
            }
        } catch (IOException e) {
            files.cutBack(workspace, id, path, offset);
            if (sessions.find(workspace, id).isEmpty()) {
                throw deletedMeanwhile(workspace, id); // its folder went from under the write
            }
            throw InsufficientStorage.of(e, "the chunk of '" + path + "' in upload '" + id + "'");
        }
        if (!sessions.touch(workspace, id, newSize - offset, clock.millis())) {
            // deleted or expired while the chunk was written: what it wrote goes
            files.cutBack(workspace, id, path, offset);
            if (sessions.find(workspace, id).isEmpty()) {
                throw deletedMeanwhile(workspace, id);
            }
            throw expired(workspace, id);
        }
        return newSize;
    }

    /** A session deleted during an append keeps no folder the append created again; 404 for the append. */
    private AtelierException deletedMeanwhile(String workspace, String id) {
        try {
            files.delete(workspace, id);
        } catch (IOException e) {
            LOG.warn("removing the files of deleted upload {}/{} failed: {}", workspace, id, e.toString());
        }
        return AtelierException.notFound("Upload '" + id + "' was deleted in workspace '" + workspace + "' while this chunk was written");
    }

    /** The files received so far, with sizes, sorted by path. */
    List<FileInfo> files(String workspace, String id) throws IOException {
        existingSession(workspace, id);
        return files.files(workspace, id);
    }

    /**
     * Marks the session active now, before its files are registered: the sweep does not expire a
     * session touched within the expiry, so its files stay while they are copied.
     */
    void claim(String workspace, String id) {
        existingSession(workspace, id);
        if (!sessions.touch(workspace, id, 0, clock.millis())) {
            throw expired(workspace, id);
        }
    }

    ArtifactContent open(String workspace, String id, ArtifactPath path) throws IOException {
        return files.open(workspace, id, path);
    }

    /** Removes the session: its row first, then its files (a folder left without a row is swept). */
    void delete(String workspace, String id) throws IOException {
        existingSession(workspace, id);
        sessions.delete(workspace, id);
        files.delete(workspace, id);
    }

    void deleteWorkspace(String workspace) throws IOException {
        files.deleteWorkspace(workspace);
    }

    long pendingBytes(String workspace) {
        return sessions.pendingBytes(workspace);
    }

    /**
     * Expires sessions idle since before {@code expiredBefore} (their rows first), then removes the
     * files whose session expired, or that have no row and were not changed since then. Idempotent; counts only the sessions this call expired.
     */
    SweepReport sweep(Optional<String> workspace, long expiredBefore, long now) {
        long count = 0;
        long bytes = 0;
        for (UploadSessionStore.Session idle : sessions.idleSince(workspace, expiredBefore)) {
            if (sessions.expire(idle.workspace(), idle.uploadId(), expiredBefore, now)) {
                count++;
                bytes += idle.sizeBytes();
            }
        }
        files.sweep(workspace, expiredBefore, sessions);
        sessions.forgetExpired(now);
        return new SweepReport(count, 0, bytes);
    }

    /** 404 for an unknown session, 410 for one that expired. */
    private void existingSession(String workspace, String id) {
        if (!ID.matcher(id).matches()) {
            throw AtelierException.invalidParameter("Invalid upload id '" + id + "'");
        }
        Optional<UploadSessionStore.Session> row = sessions.find(workspace, id);
        if (row.isPresent() && row.get().expiredAt().isPresent()) {
            throw expired(workspace, id);
        }
        if (row.isEmpty() || !files.exists(workspace, id)) {
            throw AtelierException.notFound("Upload '" + id + "' does not exist in workspace '" + workspace + "'");
        }
    }

    private AtelierException expired(String workspace, String id) {
        String when = sessions.find(workspace, id).flatMap(UploadSessionStore.Session::expiredAt)
                .map(millis -> " at " + Instant.ofEpochMilli(millis)).orElse("");
        return new AtelierException(ErrorCode.RESOURCE_EXPIRED, "Upload '" + id + "' in workspace '" + workspace + "' expired"
                + when + ": an upload session that receives no chunk for " + quota.limits().expiryText() + " is removed with its "
                + "files (--upload-expiry). Start a new upload.");
    }
}
