package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compare page's scatter of one param or metric (x) against another (y) across runs, as data that charts.js
 * draws at the page's width and redraws when an axis changes (no reload). The default x is the first param whose
 * value differs between the runs (what a comparison of a sweep is about), the default y the first metric.
 *
 * @param axes {@code params.<key>} and {@code metrics.<key>} the scatter can use
 * @param json {@code {"runs": [{"name": ..., "values": {"params.lr": "0.1", ...}}]}}, runs in the page's order (their colours)
 */
public record Scatter(List<String> axes, String x, String y, String json) {
    public Scatter {
        axes = List.copyOf(axes);
    }

    static Scatter of(List<Run> runs, List<String> paramKeys, List<String> metricKeys, String askedX, String askedY) {
        List<String> axes = new ArrayList<>();
        paramKeys.forEach(key -> axes.add("params." + key));
        metricKeys.forEach(key -> axes.add("metrics." + key));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Run run : runs) {
            Map<String, String> values = new LinkedHashMap<>();
            axes.forEach(axis -> {
                String value = RunTables.cell(run, axis);
                if (!value.isEmpty()) {
                    values.put(axis, value);
                }
            });
            rows.add(Map.of("name", RunTabs.name(run.info()), "values", values));
        }
        String differing = paramKeys.stream().filter(key -> runs.stream().map(run -> RunTables.cell(run, "params." + key)).distinct().count() > 1)
                .findFirst().or(() -> paramKeys.stream().findFirst()).map(key -> "params." + key)
                .orElse(metricKeys.isEmpty() ? "" : "metrics." + metricKeys.getFirst());
        String x = askedX != null && axes.contains(askedX) ? askedX : differing;
        String y = askedY != null && axes.contains(askedY) ? askedY : metricKeys.isEmpty() ? "" : "metrics." + metricKeys.getFirst();
        return new Scatter(axes, x, y, MetricCharts.json(Map.of("runs", rows)));
    }
}
