package dev.atelier.server.web.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;
import dev.atelier.server.jobs.Job;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.tracking.MetricCharts.Chart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A sweep's trials with the objective each reported (the latest value of the primary metric in its
 * run, as the sweep ranks them), the best one, and a chart of the objective per trial index.
 *
 * @param best the name of the best trial so far; empty until a trial has reported the metric
 */
public record SweepTrials(String primaryMetric, boolean maximize, List<Trial> trials, Optional<String> best, Chart chart) {
    /** At most this many trials are listed (the jobs API's limit). */
    static final int MAX_TRIALS = 1000;

    public SweepTrials {
        requireNonNull(primaryMetric, "primaryMetric is null");
        trials = List.copyOf(trials);
        requireNonNull(best, "best is null");
        requireNonNull(chart, "chart is null");
    }

    /** One trial: its job and the objective its run reported, if any. */
    public record Trial(Job job, Optional<Double> objective) {
    }

    public String goal() {
        return maximize ? "maximize" : "minimize";
    }

    static SweepTrials of(TrackingService tracking, JobService jobs, String workspace, Job sweep) {
        String metric = sweep.spec().path("objective").path("primary_metric").asText("");
        boolean maximize = "maximize".equals(sweep.spec().path("objective").path("goal").asText(""));
        List<Trial> trials = new ArrayList<>();
        for (Job trial : jobs.list(workspace, Optional.of(sweep.name()), MAX_TRIALS)) {
            trials.add(new Trial(trial, objective(tracking, workspace, trial.runId(), metric)));
        }
        trials.sort(Comparator.comparing(trial -> trial.job().trialIndex() == null ? Integer.MAX_VALUE : trial.job().trialIndex()));
        Optional<Trial> best = trials.stream().filter(trial -> trial.objective().isPresent())
                .reduce((a, b) -> (maximize ? b.objective().get() > a.objective().get() : b.objective().get() < a.objective().get()) ? b : a);
        return new SweepTrials(metric, maximize, trials, best.map(trial -> trial.job().name()), chart(metric, trials));
    }

    private static Optional<Double> objective(TrackingService tracking, String workspace, String runId, String metric) {
        try {
            return tracking.getRun(workspace, runId).data().metrics().stream().filter(m -> m.key().equals(metric))
                    .map(Metric::value).filter(Double::isFinite).findFirst();
        } catch (AtelierException e) {
            return Optional.empty();
        }
    }

    /** One point per trial that reported: x is the trial index (the chart's "step"), y its objective. */
    private static Chart chart(String metric, List<Trial> trials) {
        List<Object[]> points = new ArrayList<>();
        for (Trial trial : trials) {
            if (trial.objective().isPresent()) {
                int index = trial.job().trialIndex() == null ? points.size() : trial.job().trialIndex();
                long time = trial.job().endedAt() == null ? trial.job().createdAt() : trial.job().endedAt();
                points.add(new Object[] {index, time, trial.objective().get()});
            }
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("label", metric);
        series.put("points", points);
        try {
            return new Chart(metric + " per trial", Json.mapper().writeValueAsString(List.of(series)), points.size(), "");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the trials chart", e);
        }
    }
}
