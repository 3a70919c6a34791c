package dev.atelier.server.monitoring;

import dev.atelier.server.serving.ScoringObserver;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the scoring router tells monitoring: every answered request is counted by the
 * {@link EndpointMonitor} under the deployment that answered (mirrored copies under the mirror
 * deployment), and requests of deployments whose data collector is on are offered to the
 * {@link EndpointRequestLog} at their sampling rate (mirrored copies are not logged: the request was
 * logged where it was answered). The request's input is parsed for the log only when sampled, on the
 * log's writer thread. Thread-safe.
 */
public final class EndpointScoringObserver implements ScoringObserver {
    private final EndpointMonitor monitor;
    private final EndpointRequestLog requestLog;

    public EndpointScoringObserver(EndpointMonitor monitor, EndpointRequestLog requestLog) {
        this.monitor = requireNonNull(monitor, "monitor is null");
        this.requestLog = requireNonNull(requestLog, "requestLog is null");
    }

    @Override
    public void scored(ScoredRequest request) {
        monitor.record(new ScoringRecord(request.workspace(), request.endpoint(), request.deployment(), request.epochMillis(),
                request.latencyNanos(), request.response().status(), request.call().body().length,
                request.response().body().length));
        if (request.dataCollector().enabled() && !request.mirrored()) {
            requestLog.offer(request.workspace(), request.endpoint(), request.deployment(), request.dataCollector().samplingRate(),
                    Optional.empty(), request.call().body(), request.call().contentType(), request.response().body(),
                    request.epochMillis(), request.call().requestId());
        }
    }
}
