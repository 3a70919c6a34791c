package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads metric points. History rows are appended with multi-row INSERTs; the latest
 * value per key is kept in {@code latest_metrics} by an upsert that only replaces an older point,
 * so search and runs/get never scan history.
 */
final class MetricRows {
    /** Rows per INSERT statement: 1,200 parameters, below SQLite's and PostgreSQL's limits. */
    private static final int ROWS_PER_INSERT = 200;

    private MetricRows() {
    }

    static void append(Handle handle, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Long> series = seriesIds(handle, runId, metrics);
        for (int start = 0; start < metrics.size(); start += ROWS_PER_INSERT) {
            insertHistory(handle, series, metrics.subList(start, Math.min(metrics.size(), start + ROWS_PER_INSERT)));
        }
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            latest.merge(metric.key(), metric, (a, b) -> b.isLaterThan(a) ? b : a);
        }
        PreparedBatch upsert = handle.prepareBatch("""
                INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_uuid, key) DO UPDATE
                SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
                WHERE excluded.step > latest_metrics.step
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
                   OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                       AND excluded.value > latest_metrics.value)
                """);
        for (Metric metric : latest.values()) {
            boolean isNan = Double.isNaN(metric.value());
            upsert.bind(0, runId).bind(1, metric.key()).bind(2, metric.step()).bind(3, metric.timestamp())
                    .bind(4, isNan ? 0.0 : metric.value()).bind(5, isNan ? 1 : 0).add();
        }
        upsert.execute();
    }

    /**
     * The series id of each key of {@code metrics} in the run, creating the missing series with ids
     * taken from the {@code metric_series} counter (inside the caller's write transaction).
     */
    private static Map<String, Long> seriesIds(Handle handle, String runId, List<Metric> metrics) {
        List<String> keys = metrics.stream().map(Metric::key).distinct().toList();
        Map<String, Long> ids = findSeries(handle, runId, keys);
        List<String> missing = keys.stream().filter(key -> !ids.containsKey(key)).toList();
        if (missing.isEmpty()) {
            return ids;
        }
        long first = handle.createQuery("UPDATE id_counters SET next = next + :count WHERE name = 'metric_series' RETURNING next - :count")
                .bind("count", (long) missing.size())
                .mapTo(Long.class)
                .one();
        // A concurrent batch of the same run may create the same series first (PostgreSQL): keep its id.
        PreparedBatch insert = handle.prepareBatch(
                "INSERT INTO metric_series (series_id, run_uuid, key) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO NOTHING");
        for (int i = 0; i < missing.size(); i++) {
            insert.bind(0, first + i).bind(1, runId).bind(2, missing.get(i)).add();
        }
        insert.execute();
        ids.putAll(findSeries(handle, runId, missing));
        return ids;
    }

    private static Map<String, Long> findSeries(Handle handle, String runId, List<String> keys) {
        Map<String, Long> ids = new HashMap<>();
        handle.createQuery("SELECT key, series_id FROM metric_series WHERE run_uuid = :run AND key IN (<keys>)")
                .bind("run", runId).bindList("keys", keys)
                .map((rs, ctx) -> ids.put(rs.getString(1), rs.getLong(2)))
                .list();
        return ids;
    }

    /**
     * Inserts points with one multi-row INSERT, bound with plain JDBC: this is the hot path of
     * log-batch, and one statement of 200 rows costs a fraction of 200 batched executions plus
     * Jdbi's per-argument binding.
     */
    private static void insertHistory(Handle handle, Map<String, Long> series, List<Metric> points) {
        StringBuilder sql = new StringBuilder("INSERT INTO metric_points (series_id, step, timestamp, value, is_nan) VALUES ");
        for (int i = 0; i < points.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
        }
        try (PreparedStatement insert = handle.getConnection().prepareStatement(sql.toString())) {
            int position = 0;
            for (Metric point : points) {
                boolean isNan = Double.isNaN(point.value());
                insert.setLong(++position, series.get(point.key()));
                insert.setLong(++position, point.step());
                insert.setLong(++position, point.timestamp());
                insert.setDouble(++position, isNan ? 0.0 : point.value());
                insert.setInt(++position, isNan ? 1 : 0);
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert metric points: " + e.getMessage(), e);
        }
    }

    static List<Metric> history(Handle handle, String runId, String key, int limit, int offset) {
        return handle.createQuery("""
                        SELECT p.step, p.timestamp, p.value, p.is_nan
                        FROM metric_series s JOIN metric_points p ON p.series_id = s.series_id
                        WHERE s.run_uuid = :run AND s.key = :key
                        ORDER BY p.step, p.timestamp
                        LIMIT :limit OFFSET :offset
                        """)
                .bind("run", runId).bind("key", key).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> point(rs, key))
                .list();
    }

    static List<Long> steps(Handle handle, String runId, String key, long startStep, long endStep) {
        return handle.createQuery("""
                        SELECT DISTINCT p.step
                        FROM metric_series s JOIN metric_points p ON p.series_id = s.series_id
                        WHERE s.run_uuid = :run AND s.key = :key AND p.step >= :start AND p.step <= :end
                        ORDER BY p.step
                        """)
                .bind("run", runId).bind("key", key).bind("start", startStep).bind("end", endStep)
                .mapTo(Long.class)
                .list();
    }

    static List<Metric> atSteps(Handle handle, String runId, String key, Collection<Long> steps) {
        if (steps.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("""
                        SELECT p.step, p.timestamp, p.value, p.is_nan
                        FROM metric_series s JOIN metric_points p ON p.series_id = s.series_id
                        WHERE s.run_uuid = :run AND s.key = :key AND p.step IN (<steps>)
                        ORDER BY p.step, p.timestamp
                        """)
                .bind("run", runId).bind("key", key).bindList("steps", List.copyOf(steps))
                .map((rs, ctx) -> point(rs, key))
                .list();
    }

    /** A point of {@code key} from a row of (step, timestamp, value, is_nan); by position, as histories have 10,000s of rows. */
    private static Metric point(ResultSet rs, String key) throws SQLException {
        double value = rs.getInt(4) != 0 ? Double.NaN : rs.getDouble(3);
        return new Metric(key, value, rs.getLong(2), rs.getLong(1));
    }
}
