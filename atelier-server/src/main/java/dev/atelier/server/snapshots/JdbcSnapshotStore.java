package dev.atelier.server.snapshots;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** {@link SnapshotStore} on SQLite or PostgreSQL. Thread-safe. */
final class JdbcSnapshotStore implements SnapshotStore {
    private final Database database;

    JdbcSnapshotStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void create(String workspace, String snapshotId, List<SnapshotFile> files, long createdAt) {
        database.writeVoid(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO snapshots (workspace, snapshot_id, file_count, total_bytes, created_at)
                            VALUES (:workspace, :id, :count, :total, :createdAt)
                            ON CONFLICT (workspace, snapshot_id) DO NOTHING
                            """)
                    .bind("workspace", workspace)
                    .bind("id", snapshotId)
                    .bind("count", files.size())
                    .bind("total", files.stream().mapToLong(SnapshotFile::size).sum())
                    .bind("createdAt", createdAt)
                    .execute();
            if (inserted == 0) {
                return;
            }
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO snapshot_files (workspace, snapshot_id, path, sha256, size_bytes)
                    VALUES (:workspace, :id, :path, :sha256, :size)
                    """);
            for (SnapshotFile file : files) {
                batch.bind("workspace", workspace).bind("id", snapshotId).bind("path", file.path())
                        .bind("sha256", file.sha256()).bind("size", file.size()).add();
            }
            if (!files.isEmpty()) {
                batch.execute();
            }
        });
    }

    @Override
    public Optional<Snapshot> get(String workspace, String snapshotId) {
        return database.read(handle -> handle.createQuery("""
                        SELECT file_count, total_bytes, created_at FROM snapshots WHERE workspace = :workspace AND snapshot_id = :id
                        """)
                .bind("workspace", workspace).bind("id", snapshotId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .findOne()
                .map(row -> new Snapshot(snapshotId, (int) row[0], row[1], row[2], handle.createQuery("""
                                SELECT path, sha256, size_bytes FROM snapshot_files
                                WHERE workspace = :workspace AND snapshot_id = :id ORDER BY path
                                """)
                        .bind("workspace", workspace).bind("id", snapshotId)
                        .map((rs, ctx) -> new SnapshotFile(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        .list())));
    }

    private static final String UNREFERENCED = """
            NOT EXISTS (SELECT 1 FROM snapshot_files f WHERE f.workspace = b.workspace AND f.sha256 = b.sha256)
            """;

    @Override
    public void touchBlobs(String workspace, Collection<String> sha256s, long now) {
        if (sha256s.isEmpty()) {
            return;
        }
        database.writeVoid(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO snapshot_blobs (workspace, sha256, size_bytes, last_used_at) VALUES (:workspace, :sha256, 0, :now)
                    ON CONFLICT (workspace, sha256) DO UPDATE SET last_used_at = excluded.last_used_at
                    """);
            for (String sha256 : sha256s) {
                batch.bind("workspace", workspace).bind("sha256", sha256).bind("now", now).add();
            }
            batch.execute();
        });
    }

    @Override
    public void recordBlobs(String workspace, Map<String, Long> sizes, long now) {
        if (sizes.isEmpty()) {
            return;
        }
        database.writeVoid(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO snapshot_blobs (workspace, sha256, size_bytes, last_used_at) VALUES (:workspace, :sha256, :size, :now)
                    ON CONFLICT (workspace, sha256) DO UPDATE SET size_bytes = excluded.size_bytes, last_used_at = excluded.last_used_at
                    """);
            sizes.forEach((sha256, size) -> batch.bind("workspace", workspace).bind("sha256", sha256).bind("size", size)
                    .bind("now", now).add());
            batch.execute();
        });
    }

    @Override
    public boolean blobRowExists(String workspace, String sha256) {
        return database.read(handle -> handle.createQuery("""
                        SELECT COUNT(*) FROM snapshot_blobs WHERE workspace = :workspace AND sha256 = :sha256
                        """)
                .bind("workspace", workspace).bind("sha256", sha256).mapTo(Long.class).one()) > 0;
    }

    @Override
    public Optional<String> sharedKey(String workspace, String sha256) {
        return database.read(handle -> handle.createQuery("""
                        SELECT shared_key FROM snapshot_blobs WHERE workspace = :workspace AND sha256 = :sha256 AND shared_key IS NOT NULL
                        """)
                .bind("workspace", workspace).bind("sha256", sha256).mapTo(String.class).findOne());
    }

    @Override
    public boolean recordShared(String workspace, String sha256, long sizeBytes, String key, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE snapshot_blobs SET shared_key = :key, size_bytes = :size, last_used_at = :now
                        WHERE workspace = :workspace AND sha256 = :sha256 AND shared_key IS NULL
                        """)
                .bind("workspace", workspace).bind("sha256", sha256).bind("size", sizeBytes).bind("key", key).bind("now", now)
                .execute()) == 1;
    }

    @Override
    public Set<String> blobHashes(String workspace) {
        return database.read(handle -> Set.copyOf(handle.createQuery("SELECT sha256 FROM snapshot_blobs WHERE workspace = :workspace")
                .bind("workspace", workspace).mapTo(String.class).list()));
    }

    @Override
    public long unreferencedBlobBytes(String workspace) {
        return database.read(handle -> handle.createQuery("""
                        SELECT COALESCE(SUM(b.size_bytes), 0) FROM snapshot_blobs b WHERE b.workspace = :workspace AND
                        """ + UNREFERENCED)
                .bind("workspace", workspace).mapTo(Long.class).one());
    }

    @Override
    public List<BlobRow> unreferencedBlobs(Optional<String> workspace, long before) {
        return database.read(handle -> handle.createQuery("""
                        SELECT b.workspace, b.sha256, b.size_bytes, b.shared_key FROM snapshot_blobs b
                        WHERE b.last_used_at < :before AND (:all OR b.workspace = :workspace) AND
                        """ + UNREFERENCED)
                .bind("before", before).bind("all", workspace.isEmpty()).bind("workspace", workspace.orElse(""))
                .map((rs, ctx) -> new BlobRow(rs.getString(1), rs.getString(2), rs.getLong(3), Optional.ofNullable(rs.getString(4))))
                .list());
    }

    @Override
    public boolean deleteUnreferencedBlob(String workspace, String sha256, long before) {
        return database.write(handle -> handle.createUpdate("""
                        DELETE FROM snapshot_blobs WHERE workspace = :workspace AND sha256 = :sha256 AND last_used_at < :before AND
                        NOT EXISTS (SELECT 1 FROM snapshot_files f WHERE f.workspace = :workspace AND f.sha256 = :sha256)
                        """)
                .bind("workspace", workspace).bind("sha256", sha256).bind("before", before).execute()) == 1;
    }
}
