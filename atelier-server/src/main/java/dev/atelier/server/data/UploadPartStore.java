package dev.atelier.server.data;

import dev.atelier.server.store.Database;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The chunks of data upload sessions kept in the shared artifact store ({@code upload_parts}, {@link SharedUploadFiles}):
 * per file, its chunks by offset and the object key of each. Thread-safe.
 */
final class UploadPartStore {
    /** One chunk: {@code size} bytes of {@code path} from {@code offset}, in the object {@code key}. */
    record Part(String path, long offset, long size, String key) {
        Part {
            requireNonNull(path, "path is null");
            requireNonNull(key, "key is null");
        }
    }

    private final Database database;

    UploadPartStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    /**
     * Records a chunk; false when the file has a non-empty chunk at that offset already (another server's append won).
     * An empty chunk (an empty file) gives way to the first chunk with bytes at its offset.
     */
    boolean insert(String workspace, String id, Part part) {
        return database.write(handle -> handle.createUpdate("""
                        INSERT INTO upload_parts (workspace, upload_id, path, start_offset, size_bytes, object_key)
                        VALUES (:workspace, :id, :path, :offset, :size, :key)
                        ON CONFLICT (workspace, upload_id, path, start_offset)
                        DO UPDATE SET size_bytes = excluded.size_bytes, object_key = excluded.object_key
                        WHERE upload_parts.size_bytes = 0
                        """)
                .bind("workspace", workspace).bind("id", id).bind("path", part.path()).bind("offset", part.offset())
                .bind("size", part.size()).bind("key", part.key())
                .execute()) == 1;
    }

    /** The file's size: the end of its last chunk; 0 without one. */
    long size(String workspace, String id, String path) {
        return database.read(handle -> handle.createQuery("""
                        SELECT COALESCE(MAX(start_offset + size_bytes), 0) FROM upload_parts
                        WHERE workspace = :workspace AND upload_id = :id AND path = :path
                        """)
                .bind("workspace", workspace).bind("id", id).bind("path", path).mapTo(Long.class).one());
    }

    /** The chunks of one file (every file when {@code path} is empty), by path and offset. */
    List<Part> parts(String workspace, String id, Optional<String> path) {
        return database.read(handle -> handle.createQuery("""
                        SELECT path, start_offset, size_bytes, object_key FROM upload_parts
                        WHERE workspace = :workspace AND upload_id = :id AND (:all OR path = :path)
                        ORDER BY path, start_offset
                        """)
                .bind("workspace", workspace).bind("id", id).bind("all", path.isEmpty()).bind("path", path.orElse(""))
                .map((rs, ctx) -> new Part(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)))
                .list());
    }

    /** Deletes the chunks of a file from {@code offset} on. */
    void deleteFrom(String workspace, String id, String path, long offset) {
        database.writeVoid(handle -> handle.createUpdate("""
                        DELETE FROM upload_parts WHERE workspace = :workspace AND upload_id = :id AND path = :path
                        AND start_offset >= :offset
                        """)
                .bind("workspace", workspace).bind("id", id).bind("path", path).bind("offset", offset).execute());
    }

    /** Sessions that expired (or one workspace's) whose chunks are still recorded: workspace and id. */
    List<String[]> expiredWithParts(Optional<String> workspace) {
        return database.read(handle -> handle.createQuery("""
                        SELECT DISTINCT p.workspace, p.upload_id FROM upload_parts p JOIN upload_sessions s
                        ON s.workspace = p.workspace AND s.upload_id = p.upload_id
                        WHERE s.expired_at IS NOT NULL AND (:all OR p.workspace = :workspace)
                        """)
                .bind("all", workspace.isEmpty()).bind("workspace", workspace.orElse(""))
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .list());
    }

    void deleteSession(String workspace, String id) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM upload_parts WHERE workspace = :workspace AND upload_id = :id")
                .bind("workspace", workspace).bind("id", id).execute());
    }
}
