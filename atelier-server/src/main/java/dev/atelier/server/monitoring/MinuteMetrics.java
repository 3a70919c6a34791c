package dev.atelier.server.monitoring;

import static java.util.Objects.requireNonNull;

/**
 * What one deployment of an endpoint answered in one minute (or a part of it: rows of the same
 * minute from several writers {@link #merge} by adding up). Immutable.
 *
 * @param minuteStart   epoch milliseconds of the minute's first millisecond
 * @param clientErrors  answers with a 4xx status
 * @param serverErrors  answers with a status of 500 or more
 */
public record MinuteMetrics(String workspace, String endpoint, String deployment, long minuteStart, long requests,
                            long clientErrors, long serverErrors, long latencySumNanos, LatencyHistogram latency,
                            long requestBytesSum, long requestBytesMax, long responseBytesSum, long responseBytesMax) {
    public MinuteMetrics {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(deployment, "deployment is null");
        requireNonNull(latency, "latency is null");
        if (minuteStart % 60_000 != 0) {
            throw new IllegalArgumentException("minuteStart is not the start of a minute: " + minuteStart);
        }
    }

    /** The sum of two parts; workspace, endpoint, deployment and minute are this one's. */
    public MinuteMetrics merge(MinuteMetrics other) {
        return new MinuteMetrics(workspace, endpoint, deployment, minuteStart, requests + other.requests,
                clientErrors + other.clientErrors, serverErrors + other.serverErrors, latencySumNanos + other.latencySumNanos,
                latency.merge(other.latency), requestBytesSum + other.requestBytesSum,
                Math.max(requestBytesMax, other.requestBytesMax), responseBytesSum + other.responseBytesSum,
                Math.max(responseBytesMax, other.responseBytesMax));
    }
}
