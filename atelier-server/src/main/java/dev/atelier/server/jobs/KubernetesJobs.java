package dev.atelier.server.jobs;

import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.File;
import java.time.Duration;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Starts jobs on {@code kubernetes} targets: one {@link KubernetesJobRun} per job, each with its
 * own client built from the target's settings (a kubeconfig file and context, or the fabric8
 * defaults: {@code KUBECONFIG}, {@code ~/.kube/config}, the in-cluster service account).
 */
final class KubernetesJobs {
    private final Supplier<String> publicUrl;
    private final Duration pollInterval;

    KubernetesJobs(Supplier<String> publicUrl, Duration pollInterval) {
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    }

    RunningJob start(Job job, ComputeTarget target, JobExecution execution) {
        KubernetesSettings settings = target.kubernetes().orElseThrow();
        String serverUrl = settings.serverUrl().isEmpty() ? publicUrl.get() : settings.serverUrl().replaceAll("/+$", "");
        KubernetesJobRun run = new KubernetesJobRun(job, settings, serverUrl, execution, () -> client(settings), pollInterval);
        Thread.ofVirtual().name("k8s-job-" + job.name()).start(run);
        return run;
    }

    static KubernetesClient client(KubernetesSettings settings) {
        String context = settings.context().isEmpty() ? null : settings.context();
        Config config = settings.kubeconfig().isEmpty()
                ? Config.autoConfigure(context)
                : Config.fromKubeconfig(context, new File(settings.kubeconfig()));
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
