package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Downsamples a metric history for charts: when a series has more points than asked for in a step
 * range, it takes the first point at or after each of {@code maxPoints} evenly spread target steps
 * (always the first and the last step). The chunks of the range are read once into flat columns
 * (24 bytes a point, no object per point) and each target is a binary search, so a chart of a
 * million-point metric builds only the points it shows.
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
        Columns columns = new Columns();
        handle.createQuery("""
                        SELECT points FROM metric_chunks
                        WHERE series_id = :series AND max_step >= :start AND min_step <= :end
                        ORDER BY chunk_seq
                        """)
                .bind("series", series.get()).bind("start", startStep).bind("end", endStep)
                .map((rs, ctx) -> {
                    columns.append(rs.getBytes(1), startStep, endStep);
                    return true;
                })
                .list();
        return downsample(columns, key, maxPoints);
    }

    /**
     * The histories of {@code keys} for each of {@code runIds} (runs of {@code workspace} only), each downsampled
     * to at most {@code maxPoints} as {@link #sample} does, read with one query: run id to key to points. A run or
     * key without points is absent from the answer. Run ids and keys are bound as lists (at most 1,000 each).
     */
    static Map<String, Map<String, List<Metric>>> sampleMany(Handle handle, String workspace, List<String> runIds,
                                                            List<String> keys, int maxPoints) {
        Map<String, Map<String, List<Metric>>> answer = new LinkedHashMap<>();
        if (runIds.isEmpty() || keys.isEmpty()) {
            return answer;
        }
        Map<Long, Columns> bySeries = new LinkedHashMap<>();
        Map<Long, String[]> names = new HashMap<>();
        handle.createQuery("""
                        SELECT s.series_id, s.run_uuid, s.key, c.points
                        FROM metric_series s
                        JOIN runs r ON r.run_uuid = s.run_uuid
                        JOIN metric_chunks c ON c.series_id = s.series_id
                        WHERE r.workspace = :workspace AND s.run_uuid IN (<runs>) AND s.key IN (<keys>)
                        ORDER BY s.series_id, c.chunk_seq
                        """)
                .bind("workspace", workspace).bindList("runs", runIds).bindList("keys", keys)
                .map((rs, ctx) -> {
                    long series = rs.getLong(1);
                    if (!names.containsKey(series)) {
                        names.put(series, new String[] {rs.getString(2), rs.getString(3)});
                    }
                    bySeries.computeIfAbsent(series, id -> new Columns()).append(rs.getBytes(4), Long.MIN_VALUE, Long.MAX_VALUE);
                    return true;
                })
                .list();
        bySeries.forEach((series, columns) -> {
            String[] name = names.get(series);
            if (columns.size > 0) {
                answer.computeIfAbsent(name[0], run -> new LinkedHashMap<>()).put(name[1], downsample(columns, name[1], maxPoints));
            }
        });
        return answer;
    }

    private static List<Metric> downsample(Columns columns, String key, int maxPoints) {
        columns.sortIfNeeded();
        if (columns.size <= maxPoints) {
            List<Metric> all = new ArrayList<>(columns.size);
            for (int i = 0; i < columns.size; i++) {
                all.add(columns.point(i, key));
            }
            return all;
        }
        long first = columns.steps[0];
        long last = columns.steps[columns.size - 1];
        double stride = (double) (last - first) / (maxPoints - 1);
        List<Metric> points = new ArrayList<>(maxPoints);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < maxPoints; i++) {
            long target = i == maxPoints - 1 ? last : first + (long) Math.floor(i * stride);
            if (target <= previous) {
                continue;
            }
            int index = columns.firstAtOrAfter(target);
            points.add(columns.point(index, key));
            previous = columns.steps[index];
        }
        return points;
    }

    /** The points of a step range as parallel arrays, in history order once {@link #sortIfNeeded} ran. */
    private static final class Columns {
        long[] steps = new long[1024];
        long[] timestamps = new long[1024];
        long[] valueBits = new long[1024];
        int size;
        private boolean ordered = true;

        /** Adds the points of an encoded chunk that fall in [start, end]. */
        void append(byte[] chunk, long start, long end) {
            MetricChunk.visit(chunk, (step, timestamp, value) -> {
                if (step >= start && step <= end) {
                    add(step, timestamp, Double.doubleToRawLongBits(value));
                }
            });
        }

        private void add(long step, long timestamp, long bits) {
            if (size == steps.length) {
                steps = Arrays.copyOf(steps, size * 2);
                timestamps = Arrays.copyOf(timestamps, size * 2);
                valueBits = Arrays.copyOf(valueBits, size * 2);
            }
            if (size > 0 && (step < steps[size - 1] || (step == steps[size - 1] && timestamp < timestamps[size - 1]))) {
                ordered = false;
            }
            steps[size] = step;
            timestamps[size] = timestamp;
            valueBits[size] = bits;
            size++;
        }

        /** Chunks whose step ranges overlap (steps logged out of order) need a stable sort. */
        void sortIfNeeded() {
            if (ordered) {
                return;
            }
            List<Metric> points = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                points.add(point(i, ""));
            }
            points.sort(MetricRows.HISTORY_ORDER);
            for (int i = 0; i < size; i++) {
                Metric point = points.get(i);
                steps[i] = point.step();
                timestamps[i] = point.timestamp();
                valueBits[i] = Double.doubleToRawLongBits(point.value());
            }
            ordered = true;
        }

        /** Index of the first point whose step is at least {@code step}; the last point when there is none. */
        int firstAtOrAfter(long step) {
            int low = 0;
            int high = size - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (steps[middle] < step) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        Metric point(int index, String key) {
            return new Metric(key, Double.longBitsToDouble(valueBits[index]), timestamps[index], steps[index]);
        }
    }
}
