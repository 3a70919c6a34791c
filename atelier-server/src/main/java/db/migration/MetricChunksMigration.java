package db.migration;

import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.MetricChunk;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Migration 11: metric history moves from one row per point ({@code metric_points}, V6) to chunks of
 * points per series ({@code metric_chunks}, see {@code MetricChunk}). Written in Java because packing
 * points into a binary value has no portable SQL; the same code runs on SQLite and PostgreSQL, inside
 * Flyway's transaction, streaming the old rows series by series. Flyway finds it beside the SQL migrations: its
 * location {@code classpath:db/migration} holds this package too, so the store names no domain; it is public for
 * Flyway to create it.
 */
public final class MetricChunksMigration implements JavaMigration {
    private static final int POINTS_PER_CHUNK = 4096;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("11");
    }

    @Override
    public String getDescription() {
        return "metric chunks";
    }

    @Override
    public Integer getChecksum() {
        return 11;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement sql = connection.createStatement()) {
            sql.execute("""
                    CREATE TABLE metric_chunks (
                        series_id   BIGINT  NOT NULL REFERENCES metric_series (series_id) ON DELETE CASCADE,
                        chunk_seq   INTEGER NOT NULL,
                        min_step    BIGINT  NOT NULL,
                        max_step    BIGINT  NOT NULL,
                        point_count INTEGER NOT NULL,
                        points      BYTEA   NOT NULL,
                        PRIMARY KEY (series_id, chunk_seq)
                    )""");
        }
        try (Statement read = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO metric_chunks (series_id, chunk_seq, min_step, max_step, point_count, points) VALUES (?, ?, ?, ?, ?, ?)")) {
            read.setFetchSize(10_000);
            try (ResultSet rows = read.executeQuery(
                    "SELECT series_id, step, timestamp, value, is_nan FROM metric_points ORDER BY series_id, step, timestamp")) {
                Chunker chunker = new Chunker(insert);
                while (rows.next()) {
                    double value = rows.getInt(5) != 0 ? Double.NaN : rows.getDouble(4);
                    chunker.add(rows.getLong(1), new Metric("", value, rows.getLong(3), rows.getLong(2)));
                }
                chunker.flush();
            }
            insert.executeBatch();
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP TABLE metric_points");
        }
    }

    /** Groups consecutive points of a series into chunks of at most {@link #POINTS_PER_CHUNK}. */
    private static final class Chunker {
        private final PreparedStatement insert;
        private final List<Metric> points = new ArrayList<>();
        private long series = -1;
        private int sequence;
        private int pending;

        Chunker(PreparedStatement insert) {
            this.insert = insert;
        }

        void add(long seriesId, Metric point) throws SQLException {
            if (seriesId != series || points.size() == POINTS_PER_CHUNK) {
                flush();
                sequence = seriesId == series ? sequence + 1 : 0;
                series = seriesId;
            }
            points.add(point);
        }

        void flush() throws SQLException {
            if (points.isEmpty()) {
                return;
            }
            insert.setLong(1, series);
            insert.setInt(2, sequence);
            insert.setLong(3, points.getFirst().step());
            insert.setLong(4, points.getLast().step());
            insert.setInt(5, points.size());
            insert.setBytes(6, MetricChunk.encode(points));
            insert.addBatch();
            if (++pending == 256) {
                insert.executeBatch();
                pending = 0;
            }
            points.clear();
        }
    }
}
