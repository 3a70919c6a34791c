package dev.atelier.server.compute;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a service workload stands.
 *
 * @param exists          whether it is there at all (a Kubernetes Deployment exists; local processes were started)
 * @param desiredReplicas the replicas asked for
 * @param readyReplicas   replicas taking requests (of any revision: during a rolling update, old ones too); on the
 *                        server's host, replicas whose process runs (the domain checks their health itself)
 * @param updatedReplicas replicas of the newest revision
 * @param rolledOut       the newest revision is the only one left and all its replicas are ready
 * @param failure         why replicas do not start, when they do not (image pull errors, crash loops with the exit
 *                        code, failed downloads, a missed progress deadline, a quota)
 */
public record ServiceStatus(boolean exists, int desiredReplicas, int readyReplicas, int updatedReplicas, boolean rolledOut,
                            Optional<String> failure) {
    public ServiceStatus {
        requireNonNull(failure, "failure is null");
    }

    public static ServiceStatus missing(String what) {
        return new ServiceStatus(false, 0, 0, 0, false, Optional.of(what + " does not exist"));
    }

    /** Whether it can take its full traffic: as many ready replicas as asked for (of any revision). */
    public boolean available() {
        return exists && desiredReplicas > 0 && readyReplicas >= desiredReplicas;
    }
}
