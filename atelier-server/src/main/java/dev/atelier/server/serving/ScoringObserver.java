package dev.atelier.server.serving;

import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringResponse;

import static java.util.Objects.requireNonNull;

/** Told about every scoring request a deployment answered (monitoring, request logging). Must be cheap. */
@FunctionalInterface
public interface ScoringObserver {
    ScoringObserver NONE = request -> { };

    void scored(ScoredRequest request);

    /**
     * One answered request.
     *
     * @param response what the deployment answered, or the error the router wrote
     * @param mirrored whether it was a mirrored copy whose answer was discarded
     */
    record ScoredRequest(String workspace, String endpoint, String deployment, long epochMillis, long latencyNanos,
                         ScoringCall call, ScoringResponse response, boolean mirrored, DeploymentSpec.DataCollector dataCollector) {
        public ScoredRequest {
            requireNonNull(workspace, "workspace is null");
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(deployment, "deployment is null");
            requireNonNull(call, "call is null");
            requireNonNull(response, "response is null");
            requireNonNull(dataCollector, "dataCollector is null");
        }
    }
}
