package dev.atelier.server.web.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atelier.server.http.Json;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.TrackingReads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of metric charts: each series downsampled on the server (at most {@link #POINTS} points
 * per run, as get-history-bulk-interval does) and written as JSON for uPlot, with the number of
 * points so that pages and tests can tell what was drawn. Overlays of many runs read every history
 * in one query ({@link TrackingReads#sampleMetricHistories}). Stateless.
 */
public final class MetricCharts {
    /** Points per series in a chart; zooming asks for the detail of the zoomed range. */
    public static final int POINTS = 1000;

    private MetricCharts() {
    }

    /**
     * One chart.
     *
     * @param seriesJson  {@code [{"label": ..., "key": ..., "run": n, "points": [[step, timestamp, value], ...]}, ...]}; NaN and
     *                    infinities as null; {@code run} is the run's place on the page, which picks its colour
     * @param pointCount  points of the first series, as sent
     * @param detailUrl   the JSON endpoint of one run's metric ({@code ?key=&start=&end=}) that answers a zoomed step range
     *                    (empty for overlays of several runs)
     */
    public record Chart(String key, String seriesJson, int pointCount, String detailUrl) {
    }

    /** A run's chart of one metric from points already sampled. */
    static Chart single(String base, Run run, String key, List<Metric> points) {
        return new Chart(key, json(List.of(series(key, key, 0, points))), points.size(), base + "/runs/" + run.info().runId() + "/metric");
    }

    /** The series of one metric overlaid for several runs, not yet written as JSON. */
    record Overlay(String key, List<Map<String, Object>> series, int pointCount) {
        Overlay {
            series = List.copyOf(series);
        }
    }

    /** One chart per key, each overlaying the runs that logged it, from one read of every history. */
    static List<Chart> overlays(TrackingReads tracking, String workspace, List<Run> runs, List<String> keys, int pointsPerRun) {
        return overlaySeries(tracking, workspace, runs, keys, pointsPerRun).stream()
                .map(overlay -> new Chart(overlay.key(), json(overlay.series()), overlay.pointCount(), ""))
                .toList();
    }

    /** As {@link #overlays}, as data: a series per run that has the key, {@code run} being the run's index in {@code runs}. */
    static List<Overlay> overlaySeries(TrackingReads tracking, String workspace, List<Run> runs, List<String> keys, int pointsPerRun) {
        Map<String, Map<String, List<Metric>>> sampled = tracking.sampleMetricHistories(workspace,
                runs.stream().map(run -> run.info().runId()).toList(), keys, pointsPerRun);
        List<Overlay> overlays = new ArrayList<>();
        for (String key : keys) {
            List<Map<String, Object>> series = new ArrayList<>();
            int first = -1;
            for (int i = 0; i < runs.size(); i++) {
                List<Metric> points = sampled.getOrDefault(runs.get(i).info().runId(), Map.of()).get(key);
                if (points != null) {
                    first = first < 0 ? points.size() : first;
                    series.add(series(RunTabs.name(runs.get(i).info()), key, i, points));
                }
            }
            overlays.add(new Overlay(key, series, Math.max(first, 0)));
        }
        return overlays;
    }

    static Map<String, Object> series(String label, String key, int run, List<Metric> points) {
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("label", label);
        series.put("key", key);
        series.put("run", run);
        series.put("points", rows(points));
        return series;
    }

    static List<Object[]> rows(List<Metric> points) {
        List<Object[]> rows = new ArrayList<>(points.size());
        for (Metric point : points) {
            Double value = Double.isFinite(point.value()) ? point.value() : null;
            rows.add(new Object[] {point.step(), point.timestamp(), value});
        }
        return rows;
    }

    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write chart data", e);
        }
    }
}
