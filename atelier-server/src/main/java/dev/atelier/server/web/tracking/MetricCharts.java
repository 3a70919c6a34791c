package dev.atelier.server.web.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atelier.server.http.Json;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.TrackingReads;
import dev.atelier.server.web.Formats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data of metric charts: each series downsampled on the server (at most {@link #POINTS} points
 * per run, as get-history-bulk-interval does) and written as JSON for uPlot, with the number of
 * points so that pages and tests can tell what was drawn. Stateless.
 */
public final class MetricCharts {
    /** Points per series in a chart; zooming asks for the detail of the zoomed range. */
    public static final int POINTS = 1000;

    private MetricCharts() {
    }

    /**
     * One chart.
     *
     * @param seriesJson  {@code [{"label": ..., "points": [[step, timestamp, value], ...]}, ...]}; NaN and infinities as null
     * @param pointCount  points of the first series, as sent
     * @param detailUrl   the JSON endpoint that answers a zoomed step range (one run only; empty for overlays)
     */
    public record Chart(String key, String seriesJson, int pointCount, String detailUrl) {
    }

    static Chart single(TrackingReads tracking, String workspace, String base, Run run, String key) {
        List<Metric> points = tracking.sampleMetricHistory(workspace, run.info().runId(), key, Optional.empty(), Optional.empty(), POINTS);
        String detail = base + "/runs/" + run.info().runId() + "/metric?key=" + Formats.query(key);
        return new Chart(key, json(List.of(series(key, points))), points.size(), detail);
    }

    static Chart overlay(TrackingReads tracking, String workspace, List<Run> runs, String key, int pointsPerRun) {
        List<Map<String, Object>> series = new ArrayList<>();
        int first = -1;
        for (Run run : runs) {
            if (run.data().metrics().stream().noneMatch(metric -> metric.key().equals(key))) {
                continue;
            }
            List<Metric> points = tracking.sampleMetricHistory(workspace, run.info().runId(), key, Optional.empty(), Optional.empty(),
                    pointsPerRun);
            first = first < 0 ? points.size() : first;
            String label = run.info().runName() == null || run.info().runName().isEmpty() ? run.info().runId() : run.info().runName();
            series.add(series(label, points));
        }
        return new Chart(key, json(series), Math.max(first, 0), "");
    }

    static Map<String, Object> series(String label, List<Metric> points) {
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("label", label);
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

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write chart data", e);
        }
    }
}
