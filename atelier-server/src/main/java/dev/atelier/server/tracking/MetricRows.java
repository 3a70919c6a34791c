package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes metric points. The history of a metric (a series: one run, one key) is stored as chunks
 * of up to {@value #MAX_POINTS} points ({@link MetricChunk}), each chunk sorted by (step, timestamp)
 * and keeping the logging order among equal points; a log-batch of 1,000 points over 10 keys writes
 * 10 rows instead of 1,000. Points logged one at a time are appended to the series' last chunk
 * while it holds fewer than {@value #MERGE_BELOW}, so single-point logging does not leave a row per
 * point. The latest value per key is kept in {@code latest_metrics} by an upsert that only replaces
 * an older point, so search and runs/get never read history.
 */
final class MetricRows {
    static final int MAX_POINTS = 4096;
    static final int MERGE_BELOW = 128;
    static final Comparator<Metric> HISTORY_ORDER = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp);

    private MetricRows() {
    }

    /**
     * Appends {@code metrics} to their series inside the caller's write transaction.
     *
     * @param lockSeries take row locks on the series first (PostgreSQL, where concurrent batches of
     *                   one run may append to the same last chunk); SQLite serializes writers anyway
     */
    static void append(Handle handle, boolean lockSeries, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Long> series = seriesIds(handle, runId, metrics);
        Map<Long, List<Metric>> bySeries = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            bySeries.computeIfAbsent(series.get(metric.key()), id -> new ArrayList<>()).add(metric);
        }
        if (lockSeries) {
            handle.createQuery("SELECT series_id FROM metric_series WHERE series_id IN (<ids>) ORDER BY series_id FOR UPDATE")
                    .bindList("ids", List.copyOf(bySeries.keySet()))
                    .mapTo(Long.class)
                    .list();
        }
        writeChunks(handle, bySeries, lastChunks(handle, bySeries.keySet()));
        upsertLatest(handle, runId, metrics);
    }

    /** The last chunk of a series, with its points only when it is small enough to take more. */
    private record LastChunk(int sequence, int count, byte[] points) {
    }

    /** One index seek per series (a correlated MAX over all chunks would grow with the history). */
    private static Map<Long, LastChunk> lastChunks(Handle handle, java.util.Collection<Long> seriesIds) {
        Map<Long, LastChunk> last = new HashMap<>();
        try (PreparedStatement query = handle.getConnection().prepareStatement("""
                SELECT chunk_seq, point_count, CASE WHEN point_count < ? THEN points END
                FROM metric_chunks WHERE series_id = ? ORDER BY chunk_seq DESC LIMIT 1
                """)) {
            query.setInt(1, MERGE_BELOW);
            for (long seriesId : seriesIds) {
                query.setLong(2, seriesId);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        last.put(seriesId, new LastChunk(row.getInt(1), row.getInt(2), row.getBytes(3)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last metric chunks: " + e.getMessage(), e);
        }
        return last;
    }

    /** Inserts and updates chunks with plain JDBC batches: this is the hot path of log-batch. */
    private static void writeChunks(Handle handle, Map<Long, List<Metric>> bySeries, Map<Long, LastChunk> last) {
        Connection connection = handle.getConnection();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO metric_chunks (series_id, chunk_seq, min_step, max_step, point_count, points) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE metric_chunks SET min_step = ?, max_step = ?, point_count = ?, points = ? WHERE series_id = ? AND chunk_seq = ?")) {
            boolean inserts = false;
            boolean updates = false;
            for (Map.Entry<Long, List<Metric>> entry : bySeries.entrySet()) {
                long seriesId = entry.getKey();
                List<Metric> points = entry.getValue();
                LastChunk tail = last.get(seriesId);
                int next = 0;
                int sequence = tail == null ? 0 : tail.sequence() + 1;
                if (tail != null && tail.points() != null) {
                    next = Math.min(points.size(), MAX_POINTS - tail.count());
                    List<Metric> merged = MetricChunk.decode(tail.points(), "");
                    merged.addAll(points.subList(0, next));
                    merged.sort(HISTORY_ORDER);
                    update.setLong(1, merged.getFirst().step());
                    update.setLong(2, merged.getLast().step());
                    update.setInt(3, merged.size());
                    update.setBytes(4, MetricChunk.encode(merged));
                    update.setLong(5, seriesId);
                    update.setInt(6, tail.sequence());
                    update.addBatch();
                    updates = true;
                }
                for (int start = next; start < points.size(); start += MAX_POINTS) {
                    List<Metric> chunk = new ArrayList<>(points.subList(start, Math.min(points.size(), start + MAX_POINTS)));
                    chunk.sort(HISTORY_ORDER);
                    insert.setLong(1, seriesId);
                    insert.setInt(2, sequence++);
                    insert.setLong(3, chunk.getFirst().step());
                    insert.setLong(4, chunk.getLast().step());
                    insert.setInt(5, chunk.size());
                    insert.setBytes(6, MetricChunk.encode(chunk));
                    insert.addBatch();
                    inserts = true;
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write metric points: " + e.getMessage(), e);
        }
    }

    private static void upsertLatest(Handle handle, String runId, List<Metric> metrics) {
        Map<String, Metric> latest = new java.util.TreeMap<>(); // in key order: concurrent writers lock rows in one order
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
        List<String> keys = metrics.stream().map(Metric::key).distinct().sorted().toList();
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
}
