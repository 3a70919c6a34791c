package dev.atelier.server.monitoring;

/**
 * One bucket of an endpoint's metrics series. Latencies and means are 0 when {@code requests} is 0.
 *
 * @param time epoch milliseconds of the bucket's start
 */
public record MetricsPoint(long time, long requests, long clientErrors, long serverErrors, double latencyP50Ms,
                           double latencyP90Ms, double latencyP99Ms, double latencyMeanMs, double requestBytesMean,
                           double responseBytesMean, long requestBytesMax, long responseBytesMax) {
    public long errors() {
        return clientErrors + serverErrors;
    }

    /** The point of a bucket from the minute rows that fall in it (none: an empty point). */
    static MetricsPoint of(long time, MinuteMetrics merged) {
        if (merged == null || merged.requests() == 0) {
            return new MetricsPoint(time, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        double requests = merged.requests();
        LatencyHistogram latency = merged.latency();
        return new MetricsPoint(time, merged.requests(), merged.clientErrors(), merged.serverErrors(),
                latency.percentileNanos(0.5) / 1e6, latency.percentileNanos(0.9) / 1e6, latency.percentileNanos(0.99) / 1e6,
                merged.latencySumNanos() / requests / 1e6, merged.requestBytesSum() / requests,
                merged.responseBytesSum() / requests, merged.requestBytesMax(), merged.responseBytesMax());
    }
}
