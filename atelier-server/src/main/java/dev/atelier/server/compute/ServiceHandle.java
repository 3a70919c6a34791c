package dev.atelier.server.compute;

import java.util.List;
import java.util.Optional;

/**
 * A service workload a backend started or found ({@link ComputeBackend#serve}). Thread-safe.
 */
public interface ServiceHandle {
    WorkloadId id();

    /** Where it stands now (a Kubernetes target is asked; this may block briefly). */
    ServiceStatus status();

    /**
     * The base URL that spreads calls over its ready replicas (a Kubernetes Service); empty where each replica is
     * reached on its own, at the port it announces (processes on the server's host).
     */
    Optional<String> address();

    /** The last {@code tail} lines its replicas wrote, oldest first, each prefixed with {@code [<replica or pod>]}. */
    List<String> logs(int tail);

    /**
     * Stops replica {@code replica} and starts it again, returning once it is started (its listener hears the new
     * start); on a platform that restarts by itself, deletes that replica so that it is replaced.
     */
    void restart(int replica);

    /**
     * Lets the service go from this server: where it runs on the server's host its replicas are stopped (process trees
     * killed) before this returns; where the platform keeps it (Kubernetes) it keeps running, for other server replicas
     * too, until {@link ComputeBackend#deleteService}. Idempotent.
     */
    void stop();
}
