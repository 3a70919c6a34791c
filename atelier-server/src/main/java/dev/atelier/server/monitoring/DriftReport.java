package dev.atelier.server.monitoring;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A stored drift report: the requests an endpoint logged in {@code [from, to)} (of one deployment when
 * given) compared feature by feature with a reference table.
 *
 * @param reference       {@code data:<name>:<version>}, pinned to the version that was read
 * @param driftDetected   whether any feature drifted
 * @param referenceOnly   reference columns the logged requests lack (not compared)
 * @param loggedOnly      logged input columns the reference lacks (not compared)
 */
public record DriftReport(String id, String endpoint, String reference, Optional<String> deployment, long from, long to,
                          long referenceRows, long currentRows, boolean driftDetected, List<FeatureDrift> features,
                          List<String> referenceOnly, List<String> loggedOnly, String createdBy, long createdAt) {
    public DriftReport {
        requireNonNull(id, "id is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(reference, "reference is null");
        requireNonNull(deployment, "deployment is null");
        features = List.copyOf(features);
        referenceOnly = List.copyOf(referenceOnly);
        loggedOnly = List.copyOf(loggedOnly);
        requireNonNull(createdBy, "createdBy is null");
    }
}
