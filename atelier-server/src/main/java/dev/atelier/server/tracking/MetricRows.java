package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads metric points. History rows are appended with one prepared batch; the latest
 * value per key is kept in {@code latest_metrics} by an upsert that only replaces an older point,
 * so search and runs/get never scan history.
 */
final class MetricRows {
    private MetricRows() {
    }

    static void append(Handle handle, String runId, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        PreparedBatch history = handle.prepareBatch(
                "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)");
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            bindPoint(history, runId, metric).add();
            latest.merge(metric.key(), metric, (a, b) -> b.isLaterThan(a) ? b : a);
        }
        history.execute();
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
            bindPoint(upsert, runId, metric).add();
        }
        upsert.execute();
    }

    private static PreparedBatch bindPoint(PreparedBatch batch, String runId, Metric metric) {
        boolean isNan = Double.isNaN(metric.value());
        return batch.bind(0, runId)
                .bind(1, metric.key())
                .bind(2, metric.step())
                .bind(3, metric.timestamp())
                .bind(4, isNan ? 0.0 : metric.value())
                .bind(5, isNan ? 1 : 0);
    }

    static List<Metric> history(Handle handle, String runId, String key, int limit, int offset) {
        return handle.createQuery("""
                        SELECT key, value, is_nan, timestamp, step FROM metrics
                        WHERE run_uuid = :run AND key = :key
                        ORDER BY step, timestamp
                        LIMIT :limit OFFSET :offset
                        """)
                .bind("run", runId).bind("key", key).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new Metric(rs.getString("key"), RunRows.metricValue(rs), rs.getLong("timestamp"), rs.getLong("step")))
                .list();
    }

    static List<Long> steps(Handle handle, String runId, String key, long startStep, long endStep) {
        return handle.createQuery("""
                        SELECT DISTINCT step FROM metrics
                        WHERE run_uuid = :run AND key = :key AND step >= :start AND step <= :end
                        ORDER BY step
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
                        SELECT key, value, is_nan, timestamp, step FROM metrics
                        WHERE run_uuid = :run AND key = :key AND step IN (<steps>)
                        ORDER BY step, timestamp
                        """)
                .bind("run", runId).bind("key", key).bindList("steps", List.copyOf(steps))
                .map((rs, ctx) -> new Metric(rs.getString("key"), RunRows.metricValue(rs), rs.getLong("timestamp"), rs.getLong("step")))
                .list();
    }
}
