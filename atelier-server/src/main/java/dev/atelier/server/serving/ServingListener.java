package dev.atelier.server.serving;

/**
 * Told when endpoints change: {@link #changed} so that serving catches up at once, and the removal
 * methods so that what lives outside the database (Kubernetes objects, metrics) goes too.
 */
@FunctionalInterface
public interface ServingListener {
    void changed(String workspace, String endpoint);

    /** A deployment was deleted, or moved away from {@code deployment.spec().compute()}. */
    default void deploymentRemoved(String workspace, String endpoint, Deployment deployment) {
    }

    /** An endpoint was deleted, after its deployments were reported removed. */
    default void endpointRemoved(String workspace, String endpoint) {
    }
}
