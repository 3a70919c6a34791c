package dev.atelier.server.automl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what an AutoML workload leaves in its outputs folder, {@code automl_result.json} (docs/automl.md, "The
 * leaderboard"), into the job's {@code result}: {@code primary_metric}, {@code best_run_id}, {@code best_score},
 * {@code best_algorithm}, {@code trials} (the leaderboard: best first) and {@code guardrails}. Thread-safe (no state).
 */
public final class AutoMlResults {
    public static final String FILE = "automl_result.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 16L << 20;

    private AutoMlResults() {
    }

    /**
     * The result the workload wrote below {@code outputs}; empty when it wrote none.
     *
     * @throws IOException when the file cannot be read, is larger than 16 MiB or is not the expected JSON object
     */
    public static Optional<ObjectNode> read(Path outputs) throws IOException {
        Path file = outputs.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(FILE + " is larger than 16 MiB");
        }
        JsonNode node = JSON.readTree(file.toFile());
        if (!(node instanceof ObjectNode result) || !result.path("primary_metric").isTextual() || !result.path("trials").isArray()) {
            throw new IOException(FILE + " is not a JSON object with primary_metric and trials");
        }
        result.set("trials", leaderboard(result.path("primary_metric").asText(), (ArrayNode) result.get("trials")));
        return Optional.of(result);
    }

    /**
     * The trials best first: by score, lowest first for an error metric ({@code normalized_root_mean_squared_error}),
     * highest first for the others; trials without a score (failed, canceled) last, each group in the order they ran.
     */
    static ArrayNode leaderboard(String primaryMetric, ArrayNode trials) {
        boolean lowerIsBetter = primaryMetric.toLowerCase(Locale.ROOT).contains("error");
        Comparator<JsonNode> byScore = Comparator.comparingDouble(trial -> trial.path("score").asDouble());
        List<JsonNode> sorted = new ArrayList<>();
        trials.forEach(sorted::add);
        sorted.sort(Comparator.<JsonNode, Boolean>comparing(trial -> !trial.path("score").isNumber())
                .thenComparing(lowerIsBetter ? byScore : byScore.reversed()));
        ArrayNode ordered = trials.arrayNode();
        sorted.forEach(ordered::add);
        return ordered;
    }
}
