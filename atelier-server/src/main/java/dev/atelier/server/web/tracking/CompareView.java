package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Run;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PageFrame;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What the compare page shows.
 *
 * @param axes the params and metrics the scatter can use ({@code params.lr}, {@code metrics.loss})
 */
public record CompareView(PageFrame frame, List<Run> runs, List<Row> rows, List<MetricCharts.Chart> charts, List<String> axes,
                          String x, String y, Scatter scatter) {
    public CompareView {
        requireNonNull(frame, "frame is null");
        runs = List.copyOf(runs);
        rows = List.copyOf(rows);
        charts = List.copyOf(charts);
        axes = List.copyOf(axes);
    }

    /** One line of the diff table: a value per run; {@code differs} when they are not all equal. */
    public record Row(String label, String kind, List<String> values, boolean differs) {
        public Row {
            values = List.copyOf(values);
        }
    }

    public String runName(Run run) {
        return RunTabs.name(run.info());
    }

    /** This page with other scatter axes. */
    public String axesUrl(String newX, String newY) {
        StringBuilder url = new StringBuilder(frame.url("/compare") + "?");
        runs.forEach(run -> url.append("runs=").append(run.info().runId()).append('&'));
        return url.append("x=").append(Formats.query(newX)).append("&y=").append(Formats.query(newY)).toString();
    }
}
