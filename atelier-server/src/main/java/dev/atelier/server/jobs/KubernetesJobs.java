package dev.atelier.server.jobs;

import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.KubernetesSettings;

import java.time.Duration;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Starts jobs on {@code kubernetes} targets: one {@link KubernetesJobRun} per job, each with its
 * own client for the target's cluster ({@link KubernetesConnections}). Pods reach the server only at
 * its public URL ({@code --public-url}, else the URL it listens on), whatever the target says.
 */
final class KubernetesJobs {
    private final KubernetesConnections connections;
    private final Supplier<String> publicUrl;
    private final Duration pollInterval;

    KubernetesJobs(KubernetesConnections connections, Supplier<String> publicUrl, Duration pollInterval) {
        this.connections = requireNonNull(connections, "connections is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    }

    RunningJob start(Job job, ComputeTarget target, JobExecution execution) {
        KubernetesSettings settings = target.kubernetes().orElseThrow();
        String serverUrl = publicUrl.get().replaceAll("/+$", "");
        KubernetesJobRun run = new KubernetesJobRun(job, settings, serverUrl, connections.fetchImage(), execution,
                () -> connections.client(job.workspace(), settings, "job:" + job.name()), pollInterval);
        Thread.ofVirtual().name("k8s-job-" + job.name()).start(run);
        return run;
    }
}
