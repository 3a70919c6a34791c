package dev.atelier.server.compute.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeBackend;
import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.KubernetesSettings;
import dev.atelier.server.compute.Placement;
import dev.atelier.server.compute.RunHandle;
import dev.atelier.server.compute.RunListener;
import dev.atelier.server.compute.RunOutcome;
import dev.atelier.server.compute.RunSpec;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.compute.WorkloadNeeds;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentKind;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code kubernetes} target's runs: each workload is a Secret and a batch/v1 Job ({@link KubernetesRunObjects})
 * in the target's namespace, created with a client of its own for the target's cluster ({@link KubernetesConnections}).
 * A virtual thread per run polls the Job's status (started once a pod is active, then succeeded or failed), deletes
 * it on stop or timeout, copies the pods' logs at the end, and deletes what it created. Pods reach the server at its
 * public URL. Services are Deployments and Services ({@link KubernetesServices}). Thread-safe.
 */
public final class KubernetesRuns implements ComputeBackend, AutoCloseable {
    private final KubernetesConnections connections;
    private final Supplier<String> publicUrl;
    private final Duration pollInterval;
    private final KubernetesServices services;

    /**
     * @param publicUrl how pods reach the server ({@code --public-url}, else the URL it listens on)
     */
    public KubernetesRuns(KubernetesConnections connections, Supplier<String> publicUrl, Duration pollInterval) {
        this.connections = requireNonNull(connections, "connections is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.services = new KubernetesServices(connections, publicUrl);
    }

    @Override
    public ComputeKind kind() {
        return ComputeKind.KUBERNETES;
    }

    @Override
    public void check(ComputeTarget target, WorkloadNeeds needs) {
        if (needs.inServer().isPresent()) {
            throw AtelierException.invalidParameter("Compute '" + target.name() + "' runs containers, not the server: "
                    + needs.inServer().get() + " runs in the server's JVM only on the local target");
        }
        if (needs.environment().map(Environment::kind).orElse(null) != EnvironmentKind.IMAGE) {
            throw AtelierException.invalidParameter("Compute '" + target.name() + "' runs containers: 'environment' must name an "
                    + "image environment");
        }
        if (!needs.localOnlyInputs().isEmpty()) {
            throw AtelierException.invalidParameter("Invalid 'inputs." + needs.localOnlyInputs().getFirst() + ".mode': compute '"
                    + target.name() + "' runs on Kubernetes, where data inputs are passed in direct mode only (mode: direct)");
        }
        if (!needs.returnedOutputs().isEmpty()) {
            throw AtelierException.invalidParameter("Invalid 'outputs." + needs.returnedOutputs().getFirst() + ".name': outputs are "
                    + "registered as data assets on compute 'local' only (files in ./outputs are not collected on Kubernetes)");
        }
    }

    @Override
    public boolean onServerHost() {
        return false;
    }

    /** @see KubernetesServices#serve; the listener hears nothing: the platform watches and restarts the pods. */
    @Override
    public ServiceHandle serve(ComputeTarget target, ServiceSpec spec, ServiceListener listener) {
        return services.serve(target, spec);
    }

    @Override
    public void deleteService(ComputeTarget target, WorkloadId id) {
        services.delete(target, id);
    }

    /** Closes the clients its services keep. */
    @Override
    public void close() {
        services.close();
    }

    @Override
    public boolean limitsPerServer() {
        return false;
    }

    @Override
    public Placement placement(ComputeTarget target, WorkloadId id) {
        return new Placement(KubernetesRunObjects.CODE_DIR, KubernetesRunObjects.INPUTS_DIR, serverUrl());
    }

    private String serverUrl() {
        return publicUrl.get().replaceAll("/+$", "");
    }

    @Override
    public RunHandle launch(ComputeTarget target, RunSpec spec, RunListener listener) {
        KubernetesSettings settings = target.kubernetes().orElseThrow();
        Run run = new Run(spec.id(), settings, listener, () -> connections.client(spec.id().workspace(), settings,
                spec.id().owner() + ":" + spec.id().name()));
        Thread.ofVirtual().name("k8s-" + spec.id().name()).start(() -> run.create(spec));
        return run;
    }

    @Override
    public Optional<RunHandle> reattach(ComputeTarget target, WorkloadId id, RunListener listener) {
        return Optional.empty();
    }

    private final class Run implements RunHandle {
        private final WorkloadId id;
        private final String name;
        private final KubernetesSettings settings;
        private final RunListener listener;
        private final Supplier<KubernetesClient> clients;
        private volatile boolean stopRequested;
        private volatile boolean ended;

        Run(WorkloadId id, KubernetesSettings settings, RunListener listener, Supplier<KubernetesClient> clients) {
            this.id = id;
            this.name = id.objectName();
            this.settings = settings;
            this.listener = listener;
            this.clients = clients;
        }

        @Override
        public void stop() {
            stopRequested = true;
        }

        @Override
        public boolean ended() {
            return ended;
        }

        void create(RunSpec spec) {
            RunOutcome outcome;
            try (KubernetesClient client = clients.get()) {
                try {
                    client.secrets().inNamespace(settings.namespace()).resource(KubernetesRunObjects.secret(spec, name)).create();
                    client.batch().v1().jobs().inNamespace(settings.namespace())
                            .resource(KubernetesRunObjects.job(spec, settings, serverUrl(), connections.fetchImage(), name)).create();
                    listener.log("system", "[atelier] Created Kubernetes Job " + settings.namespace() + "/" + name);
                    outcome = watch(client, spec.timeout());
                    copyLogs(client);
                } catch (AtelierException e) {
                    outcome = RunOutcome.failed(e.getMessage());
                } catch (KubernetesClientException e) {
                    outcome = RunOutcome.failed("Kubernetes refused the " + id.owner() + ": " + e.getMessage());
                } finally {
                    cleanUp(client);
                }
            } catch (RuntimeException e) {
                // Whatever goes wrong (no kubeconfig, cluster unreachable), the run must end, or its domain would wait forever.
                outcome = RunOutcome.failed("Could not reach Kubernetes: " + e.getMessage());
            }
            try {
                listener.ended(outcome, Optional.empty());
            } finally {
                ended = true;
            }
        }

        private RunOutcome watch(KubernetesClient client, Optional<Duration> timeout) {
            long started = System.nanoTime();
            boolean running = false;
            while (true) {
                if (stopRequested) {
                    return new RunOutcome.Stopped(OptionalInt.empty());
                }
                if (timeout.isPresent() && System.nanoTime() - started > timeout.get().toNanos()) {
                    return RunOutcome.failed("Timed out: still running after limits.timeout of " + timeout.get().toSeconds() + " s");
                }
                io.fabric8.kubernetes.api.model.batch.v1.Job current = client.batch().v1().jobs().inNamespace(settings.namespace())
                        .withName(name).get();
                if (current == null) {
                    return RunOutcome.failed("The Kubernetes Job " + name + " was deleted");
                }
                JobStatus status = current.getStatus();
                if (status != null) {
                    if (!running && status.getActive() != null && status.getActive() > 0) {
                        running = true;
                        listener.started();
                    }
                    if (status.getSucceeded() != null && status.getSucceeded() > 0) {
                        return new RunOutcome.Succeeded();
                    }
                    if (status.getFailed() != null && status.getFailed() > 0) {
                        String reason = status.getConditions() == null ? "" : status.getConditions().stream()
                                .filter(condition -> "Failed".equals(condition.getType()))
                                .map(JobCondition::getMessage).filter(message -> message != null).findFirst().orElse("");
                        return RunOutcome.failed("The Kubernetes Job failed" + (reason.isEmpty() ? "" : ": " + reason));
                    }
                }
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new RunOutcome.Stopped(OptionalInt.empty());
                }
            }
        }

        private void copyLogs(KubernetesClient client) {
            for (Pod pod : client.pods().inNamespace(settings.namespace()).withLabel(KubernetesRunObjects.RUN_LABEL, name).list().getItems()) {
                try {
                    String text = client.pods().inNamespace(settings.namespace()).withName(pod.getMetadata().getName())
                            .inContainer("main").getLog();
                    if (text != null) {
                        text.lines().forEach(line -> listener.log("stdout", line));
                    }
                } catch (KubernetesClientException e) {
                    listener.log("system", "[atelier] Could not read the logs of pod " + pod.getMetadata().getName() + ": " + e.getMessage());
                }
            }
        }

        private void cleanUp(KubernetesClient client) {
            try {
                client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                client.secrets().inNamespace(settings.namespace()).withName(name).delete();
            } catch (KubernetesClientException e) {
                listener.log("system", "[atelier] Could not delete the Kubernetes objects " + name + ": " + e.getMessage());
            }
        }
    }
}
