package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunInfo;
import dev.atelier.server.web.PageFrame;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the run page shows: the run, its experiment and parent (children load as a fragment), tags split into the
 * user's and the system's ({@code mlflow.*}), one chart per metric with a history and a value tile per metric logged
 * once (a single point is a value, not a dot on an empty axis).
 *
 * @param tiles         metrics with one point
 * @param chartsOmitted metrics beyond the charts drawn (a run with very many metrics)
 */
public record RunView(PageFrame frame, Run run, Experiment experiment, Optional<RunInfo> parent, List<KeyValue> userTags, List<KeyValue> systemTags, List<MetricCharts.Chart> charts, List<Metric> tiles, int chartsOmitted,
                      RunTabs tabs) {
    public RunView {
        requireNonNull(frame, "frame is null");
        requireNonNull(run, "run is null");
        userTags = List.copyOf(userTags);
        systemTags = List.copyOf(systemTags);
        charts = List.copyOf(charts);
        tiles = List.copyOf(tiles);
    }

    /** The metrics a chart can add to its own (several metrics on one chart). */
    public List<String> chartKeys() {
        return charts.stream().map(MetricCharts.Chart::key).toList();
    }

    public String name() {
        return RunTabs.name(run.info());
    }

    /** The job that made the run (its {@code atelier.job.name} tag), if a job did. */
    public Optional<String> job() {
        return systemTags.stream().filter(tag -> tag.key().equals("atelier.job.name")).findFirst().map(KeyValue::value);
    }

    public Optional<String> source() {
        return systemTags.stream().filter(tag -> tag.key().equals("mlflow.source.name")).findFirst().map(KeyValue::value);
    }
}
