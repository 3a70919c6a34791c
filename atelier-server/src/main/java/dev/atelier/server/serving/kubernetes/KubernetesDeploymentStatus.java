package dev.atelier.server.serving.kubernetes;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a deployment's Kubernetes Deployment stands. How the endpoint service maps it to a provisioning state:
 * {@link #failure()} present → {@code Failed} with it as the error; {@link #rolledOut()} → {@code Succeeded};
 * otherwise {@code Creating} (or {@code Updating} after a change).
 *
 * @param exists          whether the Deployment is there at all
 * @param desiredReplicas the instance count asked for
 * @param readyReplicas   pods passing their readiness probe, of any revision (during a rolling update, old ones too)
 * @param updatedReplicas pods of the newest revision
 * @param rolledOut       the newest revision is the only one left and all its pods are ready
 * @param failure         why pods do not start, when they do not: image pull errors, crash loops (with the exit
 *                        code), failed downloads, a missed progress deadline, a replica failure (e.g. quota)
 */
public record KubernetesDeploymentStatus(boolean exists, int desiredReplicas, int readyReplicas, int updatedReplicas, boolean rolledOut,
                                         Optional<String> failure) {
    public KubernetesDeploymentStatus {
        requireNonNull(failure, "failure is null");
    }

    static KubernetesDeploymentStatus missing(String name) {
        return new KubernetesDeploymentStatus(false, 0, 0, 0, false, Optional.of("The Kubernetes Deployment " + name + " does not exist"));
    }

    /** Whether the Service can take the deployment's full traffic: as many ready pods as asked for (of any revision). */
    public boolean available() {
        return exists && desiredReplicas > 0 && readyReplicas >= desiredReplicas;
    }
}
