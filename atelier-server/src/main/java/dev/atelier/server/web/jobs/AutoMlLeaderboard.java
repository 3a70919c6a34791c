package dev.atelier.server.web.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.jobs.Job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * An AutoML job's leaderboard as its page shows it (docs/automl.md, "The leaderboard"): the trials best first, each
 * linking to its child run, the best one marked, and the data guardrails; read from the job's {@code result}, which the
 * server fills from the workload's {@code automl_result.json} when the job ends; and the best run's charts, its SVG
 * artifacts under {@code charts/}, shown as images (an {@code img} runs no script of a stored SVG).
 *
 * @param bestRunId empty when no trial completed
 * @param charts    the best run's chart artifacts, in {@link #CHART_TITLES}' order
 */
public record AutoMlLeaderboard(String primaryMetric, Optional<String> bestRunId, List<Trial> trials, List<Guardrail> guardrails,
                                List<Chart> charts) {
    /** The charts the engine draws (docs/automl.md), by file name without {@code .svg}, with their titles. */
    static final Map<String, String> CHART_TITLES = chartTitles();

    public AutoMlLeaderboard {
        requireNonNull(primaryMetric, "primaryMetric is null");
        requireNonNull(bestRunId, "bestRunId is null");
        trials = List.copyOf(trials);
        guardrails = List.copyOf(guardrails);
        charts = List.copyOf(charts);
    }

    /** A chart of the best run: its artifact path ({@code charts/roc_curve.svg}) and title. */
    public record Chart(String path, String title) {
    }

    /** One trial (a child run of the job's run); {@code score} is empty for a trial that failed or was stopped. */
    public record Trial(int rank, String name, String algorithm, OptionalDouble score, String status, Optional<String> runId, long durationMs) {
        /** How long it trained, in seconds. */
        public String duration() {
            return String.format(Locale.ROOT, "%.1f s", durationMs / 1000.0);
        }
    }

    /** A data guardrail: {@code passed}, {@code done} (featurization fixed it) or {@code alerted}. */
    public record Guardrail(String name, String status, String message) {
    }

    public boolean best(Trial trial) {
        return bestRunId.isPresent() && trial.runId().equals(bestRunId);
    }

    /**
     * The leaderboard of an AutoML job that has ended with a result; empty for any other job.
     *
     * @param artifacts a run's artifact paths below a folder ({@code runId, "charts"}), to find the best run's charts
     */
    static Optional<AutoMlLeaderboard> of(Job job, BiFunction<String, String, List<String>> artifacts) {
        JsonNode result = job.result();
        if (result == null || !result.path("trials").isArray() || !result.path("primary_metric").isTextual()) {
            return Optional.empty();
        }
        List<Trial> trials = new ArrayList<>();
        for (JsonNode trial : result.path("trials")) {
            trials.add(new Trial(trials.size() + 1, trial.path("name").asText(), trial.path("algorithm").asText(),
                    trial.path("score").isNumber() ? OptionalDouble.of(trial.path("score").asDouble()) : OptionalDouble.empty(),
                    trial.path("status").asText(), text(trial, "run_id"), trial.path("duration_ms").asLong()));
        }
        List<Guardrail> guardrails = new ArrayList<>();
        result.path("guardrails").forEach(guardrail -> guardrails.add(new Guardrail(guardrail.path("name").asText(),
                guardrail.path("status").asText(), guardrail.path("message").asText())));
        Optional<String> bestRunId = text(result, "best_run_id");
        List<Chart> charts = new ArrayList<>();
        if (bestRunId.isPresent()) {
            Set<String> files = Set.copyOf(artifacts.apply(bestRunId.get(), "charts"));
            CHART_TITLES.forEach((name, title) -> {
                if (files.contains("charts/" + name + ".svg")) {
                    charts.add(new Chart("charts/" + name + ".svg", title));
                }
            });
        }
        return Optional.of(new AutoMlLeaderboard(result.path("primary_metric").asText(), bestRunId, trials, guardrails, charts));
    }

    private static Map<String, String> chartTitles() {
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("roc_curve", "ROC curve");
        titles.put("precision_recall_curve", "Precision-recall curve");
        titles.put("confusion_matrix", "Confusion matrix");
        titles.put("calibration_curve", "Calibration curve");
        titles.put("residuals", "Residuals");
        titles.put("predicted_vs_true", "Predicted vs. true");
        return java.util.Collections.unmodifiableMap(titles);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.path(field).isTextual() && !node.path(field).asText().isBlank() ? Optional.of(node.path(field).asText()) : Optional.empty();
    }
}
