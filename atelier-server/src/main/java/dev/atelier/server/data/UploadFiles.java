package dev.atelier.server.data;

import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where the files of data upload sessions are kept while the client sends them: {@link LocalUploadFiles} on this server's
 * disk (one server on SQLite), {@link SharedUploadFiles} in the artifact store with the chunks indexed in the database
 * (servers sharing PostgreSQL, so that a session begun on one is continued and finished on any other).
 * {@link UploadStaging} keeps the sessions' rules (offsets, quota, expiry) above it. Implementations are thread-safe;
 * appends to one file are serialized by the caller within one server.
 */
sealed interface UploadFiles permits LocalUploadFiles, SharedUploadFiles {
    /** Makes room for a new session. */
    void create(String workspace, String id) throws IOException;

    /** Whether the session's files are present (its row is checked by the caller). */
    boolean exists(String workspace, String id);

    /** The size of a file of the session; 0 when it has none. */
    long size(String workspace, String id, ArtifactPath path) throws IOException;

    /**
     * Appends at most {@code maxBytes} of {@code content} to the file, which holds {@code offset} bytes, durably; returns
     * the file's new size, or -1 when the content holds more than {@code maxBytes} (nothing of it kept).
     */
    long append(String workspace, String id, ArtifactPath path, long offset, InputStream content, long maxBytes) throws IOException;

    /** After a failed or refused append, the file back at {@code offset} bytes (best effort). */
    void cutBack(String workspace, String id, ArtifactPath path, long offset);

    /** The files received so far, with sizes, sorted by path. */
    List<FileInfo> files(String workspace, String id) throws IOException;

    ArtifactContent open(String workspace, String id, ArtifactPath path) throws IOException;

    /** Removes the session's files (its row is gone already). */
    void delete(String workspace, String id) throws IOException;

    void deleteWorkspace(String workspace) throws IOException;

    /** Removes the files of expired sessions, and files no session row names unchanged since {@code expiredBefore}. */
    void sweep(Optional<String> workspace, long expiredBefore, UploadSessionStore sessions);
}
