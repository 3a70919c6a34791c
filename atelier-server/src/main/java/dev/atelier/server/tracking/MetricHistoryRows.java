package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads metric histories from their chunks ({@link MetricRows} writes them). A history is ordered by
 * (step, timestamp), points logged equal keeping their logging order. When the chunks of a series
 * cover increasing, disjoint step ranges (the usual case: a training loop logs steps in order) a
 * page reads only the chunks it overlaps; otherwise the whole series is decoded and merged.
 */
final class MetricHistoryRows {
    private MetricHistoryRows() {
    }

    private record ChunkInfo(int sequence, long minStep, long maxStep, int count) {
    }

    static List<Metric> history(Handle handle, String runId, String key, int limit, int offset) {
        Optional<Long> series = seriesId(handle, runId, key);
        if (series.isEmpty()) {
            return List.of();
        }
        List<ChunkInfo> chunks = handle.createQuery("""
                        SELECT chunk_seq, min_step, max_step, point_count FROM metric_chunks WHERE series_id = :series ORDER BY chunk_seq
                        """)
                .bind("series", series.get())
                .map((rs, ctx) -> new ChunkInfo(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)))
                .list();
        if (!inStepOrder(chunks)) {
            List<Metric> all = points(handle, series.get(), key, Long.MIN_VALUE, Long.MAX_VALUE);
            all.sort(MetricRows.HISTORY_ORDER);
            return page(all, 0, limit, offset);
        }
        long skipped = 0;
        long covered = 0;
        int first = -1;
        int last = -1;
        for (ChunkInfo chunk : chunks) {
            if (first < 0) {
                if (skipped + chunk.count() <= offset) {
                    skipped += chunk.count();
                    continue;
                }
                first = chunk.sequence();
            }
            last = chunk.sequence();
            covered += chunk.count();
            if (skipped + covered >= (long) offset + limit) {
                break;
            }
        }
        if (first < 0) {
            return List.of();
        }
        List<Metric> window = new ArrayList<>();
        handle.createQuery("""
                        SELECT points FROM metric_chunks WHERE series_id = :series AND chunk_seq BETWEEN :first AND :last ORDER BY chunk_seq
                        """)
                .bind("series", series.get()).bind("first", first).bind("last", last)
                .map((rs, ctx) -> {
                    MetricChunk.decode(rs.getBytes(1), key, window);
                    return true;
                })
                .list();
        return page(window, skipped, limit, offset);
    }

    /** Distinct steps of a metric within [startStep, endStep], ascending. */
    static List<Long> steps(Handle handle, String runId, String key, long startStep, long endStep) {
        Optional<Long> series = seriesId(handle, runId, key);
        if (series.isEmpty()) {
            return List.of();
        }
        TreeSet<Long> steps = new TreeSet<>();
        for (Metric point : points(handle, series.get(), key, startStep, endStep)) {
            if (point.step() >= startStep && point.step() <= endStep) {
                steps.add(point.step());
            }
        }
        return List.copyOf(steps);
    }

    /** Points of a metric at the given steps, in history order. */
    static List<Metric> atSteps(Handle handle, String runId, String key, Collection<Long> steps) {
        Optional<Long> series = seriesId(handle, runId, key);
        if (steps.isEmpty() || series.isEmpty()) {
            return List.of();
        }
        Set<Long> wanted = Set.copyOf(steps);
        long low = steps.stream().mapToLong(Long::longValue).min().orElseThrow();
        long high = steps.stream().mapToLong(Long::longValue).max().orElseThrow();
        List<Metric> points = new ArrayList<>(points(handle, series.get(), key, low, high).stream()
                .filter(point -> wanted.contains(point.step()))
                .toList());
        points.sort(MetricRows.HISTORY_ORDER);
        return points;
    }

    private static Optional<Long> seriesId(Handle handle, String runId, String key) {
        return handle.createQuery("SELECT series_id FROM metric_series WHERE run_uuid = :run AND key = :key")
                .bind("run", runId).bind("key", key)
                .mapTo(Long.class)
                .findOne();
    }

    /** Every point of the chunks whose step range meets [low, high], in chunk order (not filtered further). */
    private static List<Metric> points(Handle handle, long series, String key, long low, long high) {
        List<Metric> points = new ArrayList<>();
        handle.createQuery("""
                        SELECT points FROM metric_chunks
                        WHERE series_id = :series AND max_step >= :low AND min_step <= :high
                        ORDER BY chunk_seq
                        """)
                .bind("series", series).bind("low", low).bind("high", high)
                .map((rs, ctx) -> {
                    MetricChunk.decode(rs.getBytes(1), key, points);
                    return true;
                })
                .list();
        return points;
    }

    /** Whether concatenating the (each sorted) chunks in sequence order already gives history order. */
    private static boolean inStepOrder(List<ChunkInfo> chunks) {
        for (int i = 1; i < chunks.size(); i++) {
            if (chunks.get(i).minStep() <= chunks.get(i - 1).maxStep()) {
                return false;
            }
        }
        return true;
    }

    /** The page [offset, offset + limit) of a history whose first {@code skipped} points are not in {@code window}. */
    private static List<Metric> page(List<Metric> window, long skipped, int limit, int offset) {
        int from = (int) Math.min(window.size(), Math.max(0, offset - skipped));
        int to = (int) Math.min(window.size(), (long) from + limit);
        return List.copyOf(window.subList(from, to));
    }
}
