package dev.atelier.server.compute;

import java.util.Optional;

/**
 * What runs workloads on one kind of compute target ({@code compute/local}, {@code compute/kubernetes}). The one seam
 * between the domains that need work done and the places work runs: domains describe a workload ({@link RunSpec}),
 * a backend starts it, watches it, streams its logs, stops it on request or timeout, and cleans up. Long-running
 * workloads ({@link ServiceSpec}) are served: a backend starts their replicas, keeps them at the asked count (restarting
 * a dead one is the platform's on Kubernetes, the domain's through {@link ServiceHandle#restart} on the server's host),
 * tells where to call them, and removes them. Implementations are thread-safe; each run is watched on its own
 * (virtual) thread.
 */
public interface ComputeBackend {
    ComputeKind kind();

    /**
     * Refuses, when a workload is submitted, what this target cannot run.
     *
     * @throws dev.atelier.api.AtelierException INVALID_PARAMETER_VALUE naming the field
     */
    void check(ComputeTarget target, WorkloadNeeds needs);

    /**
     * Whether its workloads run on the server's host and read the domain's folders there ({@link ServiceFiles#local}),
     * rather than fetching the files' remote forms; a domain that prepares files only one way asks this first. Such a
     * target's {@link ComputeTarget#maxConcurrentJobs} counts this server's runs; another's counts all servers'.
     */
    boolean onServerHost();


    /** Where workload {@code id} will find its code and inputs on this target. */
    Placement placement(ComputeTarget target, WorkloadId id);

    /** Starts the workload and returns at once; the listener hears the rest. */
    RunHandle launch(ComputeTarget target, RunSpec spec, RunListener listener);

    /**
     * Watches again a workload a previous server process started on this target, when it still exists there
     * (a pod outlives the server; a local process does not). The listener hears its log lines written after
     * {@code lastLine} (when the domain last heard one) and its end.
     */
    Optional<RunHandle> reattach(ComputeTarget target, WorkloadId id, java.time.Instant lastLine, RunListener listener);

    /**
     * Starts the service, or replaces the one of the same id with it (on Kubernetes a rolling update: old replicas serve
     * until new ones are ready), and returns without waiting for it to be ready. Everything is checked before anything
     * starts or is written.
     *
     * @throws dev.atelier.api.AtelierException INVALID_PARAMETER_VALUE for what the target cannot run (naming the field);
     *                                          INVALID_STATE when the target refuses or cannot be reached
     */
    ServiceHandle serve(ComputeTarget target, ServiceSpec spec, ServiceListener listener);

    /**
     * Removes what the target keeps of service {@code id} beyond this server's handles (a Kubernetes Deployment, its
     * Service, Secret and ConfigMap), whichever server started it; nothing happens when there is none. Replicas that
     * live only as long as their handle (processes on the server's host) end with {@link ServiceHandle#stop} instead.
     */
    void deleteService(ComputeTarget target, WorkloadId id);
}
