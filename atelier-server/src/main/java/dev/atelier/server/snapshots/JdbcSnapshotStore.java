package dev.atelier.server.snapshots;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.List;
import java.util.Optional;

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
}
