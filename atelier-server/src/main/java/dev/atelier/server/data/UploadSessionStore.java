package dev.atelier.server.data;

import dev.atelier.server.store.Database;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Rows of data upload sessions ({@code upload_sessions}): when each was last active, the bytes it
 * holds, and whether the sweep expired it. Every change is one conditional statement, so replicas
 * sharing the database agree on which of them expired a session. Thread-safe.
 */
final class UploadSessionStore {
    /** An expired session's row answers 410 for this long, then it is forgotten (404). */
    static final long TOMBSTONE_MILLIS = 7L * 24 * 60 * 60 * 1000;

    /** A session's row; {@code expiredAt} is present once the sweep removed its files. */
    record Session(String workspace, String uploadId, long lastActivityAt, long sizeBytes, Optional<Long> expiredAt) {
        Session {
            requireNonNull(workspace, "workspace is null");
            requireNonNull(uploadId, "uploadId is null");
            requireNonNull(expiredAt, "expiredAt is null");
        }
    }

    private final Database database;

    UploadSessionStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    void create(String workspace, String uploadId, long now) {
        database.writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO upload_sessions (workspace, upload_id, created_at, last_activity_at, size_bytes)
                        VALUES (:workspace, :id, :now, :now, 0)
                        """)
                .bind("workspace", workspace).bind("id", uploadId).bind("now", now).execute());
    }

    Optional<Session> find(String workspace, String uploadId) {
        return database.read(handle -> handle.createQuery("""
                        SELECT workspace, upload_id, last_activity_at, size_bytes, expired_at FROM upload_sessions
                        WHERE workspace = :workspace AND upload_id = :id
                        """)
                .bind("workspace", workspace).bind("id", uploadId)
                .map((rs, ctx) -> session(rs))
                .findOne());
    }

    /** Marks the session active now and adds {@code bytes}; false when it expired (or is gone) meanwhile. */
    boolean touch(String workspace, String uploadId, long bytes, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE upload_sessions SET last_activity_at = :now, size_bytes = size_bytes + :bytes
                        WHERE workspace = :workspace AND upload_id = :id AND expired_at IS NULL
                        """)
                .bind("workspace", workspace).bind("id", uploadId).bind("bytes", bytes).bind("now", now).execute()) == 1;
    }

    void delete(String workspace, String uploadId) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM upload_sessions WHERE workspace = :workspace AND upload_id = :id")
                .bind("workspace", workspace).bind("id", uploadId).execute());
    }

    /** Bytes of the sessions of {@code workspace} that did not expire. */
    long pendingBytes(String workspace) {
        return database.read(handle -> handle.createQuery("""
                        SELECT COALESCE(SUM(size_bytes), 0) FROM upload_sessions WHERE workspace = :workspace AND expired_at IS NULL
                        """)
                .bind("workspace", workspace).mapTo(Long.class).one());
    }

    /** Sessions not expired yet but idle since before {@code expiredBefore}. */
    List<Session> idleSince(Optional<String> workspace, long expiredBefore) {
        return database.read(handle -> handle.createQuery("""
                        SELECT workspace, upload_id, last_activity_at, size_bytes, expired_at FROM upload_sessions
                        WHERE expired_at IS NULL AND last_activity_at < :before AND (:all OR workspace = :workspace)
                        """)
                .bind("before", expiredBefore).bind("all", workspace.isEmpty()).bind("workspace", workspace.orElse(""))
                .map((rs, ctx) -> session(rs))
                .list());
    }

    /**
     * Marks a session expired if it still is idle since before {@code expiredBefore}; true for the one
     * caller (of all replicas) whose update did it. A chunk or a registration that touched the session
     * first wins, and the session stays.
     */
    boolean expire(String workspace, String uploadId, long expiredBefore, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE upload_sessions SET expired_at = :now
                        WHERE workspace = :workspace AND upload_id = :id AND expired_at IS NULL AND last_activity_at < :before
                        """)
                .bind("workspace", workspace).bind("id", uploadId).bind("before", expiredBefore).bind("now", now).execute()) == 1;
    }

    /** Forgets sessions that expired more than {@link #TOMBSTONE_MILLIS} before {@code now}. */
    void forgetExpired(long now) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM upload_sessions WHERE expired_at < :before")
                .bind("before", now - TOMBSTONE_MILLIS).execute());
    }

    private static Session session(java.sql.ResultSet rs) throws java.sql.SQLException {
        // getObject, not getLong then wasNull, which the SQLite driver did not answer reliably here.
        Object expiredAt = rs.getObject(5);
        return new Session(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                expiredAt == null ? Optional.empty() : Optional.of(((Number) expiredAt).longValue()));
    }
}
