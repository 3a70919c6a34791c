package dev.atelier.server.batch;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A batch deployment's {@code settings} and {@code resources} (Azure ML's batch deployment YAML,
 * https://learn.microsoft.com/azure/machine-learning/reference-yaml-deployment-batch), defaults applied.
 *
 * @param miniBatchSize  files per mini-batch for a scoring script, rows for a no-code model; empty: 10 files or
 *                       {@link #DEFAULT_ROWS} rows
 * @param errorThreshold failed files (rows for a no-code model) tolerated; -1: no limit
 */
public record BatchSettings(int instanceCount, int maxConcurrencyPerInstance, Optional<Integer> miniBatchSize, int errorThreshold,
                            int maxRetries, int timeoutSeconds, OutputAction outputAction, String outputFileName, String loggingLevel,
                            Map<String, String> environmentVariables) {
    /** Files per mini-batch of a scoring script when the deployment does not say (Azure's default). */
    public static final int DEFAULT_FILES = 10;
    /** Rows per mini-batch of a no-code model when the deployment does not say. */
    public static final int DEFAULT_ROWS = 10_000;

    public BatchSettings {
        requireNonNull(miniBatchSize, "miniBatchSize is null");
        requireNonNull(outputAction, "outputAction is null");
        requireNonNull(outputFileName, "outputFileName is null");
        requireNonNull(loggingLevel, "loggingLevel is null");
        environmentVariables = Map.copyOf(environmentVariables);
    }

    /** How many mini-batches are scored at once: {@code max_concurrency_per_instance × instance_count}. */
    public int parallelism() {
        return maxConcurrencyPerInstance * instanceCount;
    }

    /** What a job writes: one row per scored row ({@code append_row}), or only its summary ({@code summary_only}). */
    public enum OutputAction {
        APPEND_ROW("append_row"),
        SUMMARY_ONLY("summary_only");

        private final String wireName;

        OutputAction(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
