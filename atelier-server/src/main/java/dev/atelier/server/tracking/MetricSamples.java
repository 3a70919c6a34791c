package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Downsamples a metric history for charts by seeking, not scanning: when a series has more points
 * than asked for in a step range, it takes the first point at or after each of {@code maxPoints}
 * evenly spread target steps, one seek on the {@code (series_id, step, timestamp)} index each. A
 * chart of a million-point metric then reads about a thousand rows.
 */
final class MetricSamples {
    private MetricSamples() {
    }

    static List<Metric> sample(Handle handle, String runId, String key, long startStep, long endStep, int maxPoints) {
        Optional<Long> series = handle.createQuery("SELECT series_id FROM metric_series WHERE run_uuid = :run AND key = :key")
                .bind("run", runId).bind("key", key).mapTo(Long.class).findOne();
        if (series.isEmpty()) {
            return List.of();
        }
        long seriesId = series.get();
        List<Metric> head = handle.createQuery("""
                        SELECT step, timestamp, value, is_nan FROM metric_points
                        WHERE series_id = :series AND step >= :start AND step <= :end
                        ORDER BY step, timestamp LIMIT :limit
                        """)
                .bind("series", seriesId).bind("start", startStep).bind("end", endStep).bind("limit", maxPoints + 1)
                .map((rs, ctx) -> point(rs, key))
                .list();
        if (head.size() <= maxPoints) {
            return head;
        }
        long first = head.get(0).step();
        long last = handle.createQuery("SELECT MAX(step) FROM metric_points WHERE series_id = :series AND step <= :end")
                .bind("series", seriesId).bind("end", endStep).mapTo(Long.class).one();
        return seek(handle, seriesId, key, first, last, maxPoints);
    }

    private static List<Metric> seek(Handle handle, long seriesId, String key, long first, long last, int maxPoints) {
        List<Metric> points = new ArrayList<>(maxPoints);
        double stride = (double) (last - first) / (maxPoints - 1);
        long previous = Long.MIN_VALUE;
        try (PreparedStatement statement = handle.getConnection().prepareStatement("""
                SELECT step, timestamp, value, is_nan FROM metric_points
                WHERE series_id = ? AND step >= ? AND step <= ?
                ORDER BY step, timestamp LIMIT 1
                """)) {
            for (int i = 0; i < maxPoints; i++) {
                long target = i == maxPoints - 1 ? last : first + (long) Math.floor(i * stride);
                if (target <= previous) {
                    continue;
                }
                statement.setLong(1, seriesId);
                statement.setLong(2, target);
                statement.setLong(3, last);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        Metric point = point(rs, key);
                        points.add(point);
                        previous = point.step();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot sample metric points: " + e.getMessage(), e);
        }
        return points;
    }

    private static Metric point(ResultSet rs, String key) throws SQLException {
        double value = rs.getInt(4) != 0 ? Double.NaN : rs.getDouble(3);
        return new Metric(key, value, rs.getLong(2), rs.getLong(1));
    }
}
