package dev.atelier.server.monitoring;

import static java.util.Objects.requireNonNull;

/**
 * One answered scoring request, as the endpoint router reports it to {@link EndpointMonitor#record}.
 *
 * @param epochMillis   when the request arrived (it picks the minute the request is counted in)
 * @param latencyNanos  from the request's arrival to the end of its answer
 * @param status        the HTTP status answered; 4xx count as client errors, 5xx as server errors
 * @param requestBytes  the request body's length
 * @param responseBytes the response body's length
 */
public record ScoringRecord(String workspace, String endpoint, String deployment, long epochMillis, long latencyNanos, int status,
                            long requestBytes, long responseBytes) {
    public ScoringRecord {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(deployment, "deployment is null");
    }
}
