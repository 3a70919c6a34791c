package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Run;
import dev.atelier.server.web.PageFrame;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What the compare page shows: the runs in order (a run's place picks its colour in every chart and the scatter). */
public record CompareView(PageFrame frame, List<Run> runs, List<Row> rows, List<MetricCharts.Chart> charts, Scatter scatter) {
    public CompareView {
        requireNonNull(frame, "frame is null");
        runs = List.copyOf(runs);
        rows = List.copyOf(rows);
        charts = List.copyOf(charts);
        requireNonNull(scatter, "scatter is null");
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
}
