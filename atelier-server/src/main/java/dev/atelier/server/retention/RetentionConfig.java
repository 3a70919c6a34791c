package dev.atelier.server.retention;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How long gc keeps operational data (docs/operations.md, "Retention"); empty keeps it forever.
 *
 * @param endpointMetrics the minute rows of online endpoints' metrics ({@code --retention-endpoint-metrics})
 * @param requestLogs     the request-log versions of online endpoints ({@code --retention-request-logs})
 * @param jobFiles        the local working folders of finished jobs ({@code --retention-job-files})
 */
public record RetentionConfig(Optional<Duration> endpointMetrics, Optional<Duration> requestLogs, Optional<Duration> jobFiles) {
    /** 30 days each. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    public static final RetentionConfig DEFAULTS = new RetentionConfig(Optional.of(DEFAULT_WINDOW), Optional.of(DEFAULT_WINDOW),
            Optional.of(DEFAULT_WINDOW));

    public RetentionConfig {
        requireNonNull(endpointMetrics, "endpointMetrics is null");
        requireNonNull(requestLogs, "requestLogs is null");
        requireNonNull(jobFiles, "jobFiles is null");
        for (Optional<Duration> window : java.util.List.of(endpointMetrics, requestLogs, jobFiles)) {
            if (window.isPresent() && (window.get().isNegative() || window.get().isZero())) {
                throw new IllegalArgumentException("a retention window must be positive: " + window.get());
            }
        }
    }
}
