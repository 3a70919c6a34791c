package dev.atelier.workers.automl;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code outputs/automl_result.json} (WORKERS.md "AutoML"): the leaderboard that the server reads into the job's
 * document at the job's end. Trials are in the order they ran; {@code bestRunId}/{@code bestScore} are null when no
 * trial completed. Times are milliseconds since the job's start: {@code searchBudgetMs} is when the search stops
 * starting trials and cancels running ones (80 % of {@code timeout_minutes}), {@code elapsedMs} the whole run up to
 * this file (final fit and uploads included), {@code budgetMs} is {@code timeout_minutes}; {@code finalFit} is null
 * when no trial completed. Immutable.
 */
public record AutoMlResult(
        @JsonProperty("primary_metric") String primaryMetric,
        @JsonProperty("best_run_id") String bestRunId,
        @JsonProperty("best_score") Double bestScore,
        @JsonProperty("best_algorithm") String bestAlgorithm,
        @JsonProperty("ended_by") String endedBy,
        @JsonProperty("search_budget_ms") long searchBudgetMs,
        @JsonProperty("elapsed_ms") long elapsedMs,
        @JsonProperty("budget_ms") long budgetMs,
        @JsonProperty("final_fit") FinalFit finalFit,
        @JsonProperty("trials") List<Trial> trials,
        @JsonProperty("guardrails") List<Guardrail> guardrails) {

    public AutoMlResult {
        requireNonNull(primaryMetric, "primaryMetric is null");
        trials = List.copyOf(trials);
        guardrails = List.copyOf(guardrails);
    }

    /** A trial's row; status is Completed, Failed, Canceled or EarlyTerminated; it started {@code startedMs} after the job. */
    public record Trial(
            @JsonProperty("run_id") String runId,
            @JsonProperty("name") String name,
            @JsonProperty("algorithm") String algorithm,
            @JsonProperty("score") Double score,
            @JsonProperty("status") String status,
            @JsonProperty("started_ms") long startedMs,
            @JsonProperty("duration_ms") long durationMs) {
        public Trial {
            requireNonNull(name, "name is null");
            requireNonNull(algorithm, "algorithm is null");
            requireNonNull(status, "status is null");
        }
    }

    /**
     * The refit of the best model on all training rows: which trial ({@code name}), when it started and how long it
     * took, what it was estimated to take from the trial's measured time, and the better trials skipped because their
     * refit would not have ended within the budget.
     */
    public record FinalFit(
            @JsonProperty("run_id") String runId,
            @JsonProperty("name") String name,
            @JsonProperty("started_ms") long startedMs,
            @JsonProperty("duration_ms") long durationMs,
            @JsonProperty("estimated_ms") long estimatedMs,
            @JsonProperty("skipped") List<String> skipped) {
        public FinalFit {
            requireNonNull(name, "name is null");
            skipped = skipped == null ? List.of() : List.copyOf(skipped);
        }
    }

    /** A data guardrail: status passed, done (fixed by featurization) or alerted, with what was found. */
    public record Guardrail(
            @JsonProperty("name") String name,
            @JsonProperty("status") String status,
            @JsonProperty("message") String message) {
        public Guardrail {
            requireNonNull(name, "name is null");
            requireNonNull(status, "status is null");
            requireNonNull(message, "message is null");
        }
    }

    /** Writes the file, creating its folder. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }
}
