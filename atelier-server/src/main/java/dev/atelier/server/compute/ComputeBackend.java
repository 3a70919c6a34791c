package dev.atelier.server.compute;

import dev.atelier.server.environments.Environment;

import java.util.List;
import java.util.Optional;

/**
 * What runs workloads on one kind of compute target ({@code compute/local}, {@code compute/kubernetes}). The one seam
 * between the domains that need work done and the places work runs: domains describe a workload ({@link RunSpec}),
 * a backend starts it, watches it, streams its logs, stops it on request or timeout, and cleans up. Implementations
 * are thread-safe; each run is watched on its own (virtual) thread.
 */
public interface ComputeBackend {
    ComputeKind kind();

    /**
     * Refuses, when a workload is submitted, what this target cannot run.
     *
     * @throws dev.atelier.api.AtelierException INVALID_PARAMETER_VALUE naming the field
     */
    void check(ComputeTarget target, WorkloadNeeds needs);

    /** Whether {@link ComputeTarget#maxConcurrentJobs} counts this server's runs (true) or all servers' (false). */
    boolean limitsPerServer();

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
}
