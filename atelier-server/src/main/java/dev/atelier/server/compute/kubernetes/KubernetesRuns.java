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
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code kubernetes} target's runs: each workload is a Secret and a batch/v1 Job ({@link KubernetesRunObjects})
 * in the target's namespace, created with a client of its own for the target's cluster ({@link KubernetesConnections}).
 * A virtual thread per run polls the Job's status (started once a pod is active, then succeeded or failed), deletes
 * it on stop or timeout, follows the pod's log while it runs ({@link PodLogStream}), and deletes what it created.
 * {@link RunHandle#detach} leaves the Job running for {@link #reattach}, which follows its log from the time the
 * domain last heard a line. Pods reach the server at its public URL. Services are Deployments and Services
 * ({@link KubernetesServices}). Thread-safe.
 */
public final class KubernetesRuns implements ComputeBackend, AutoCloseable {
    /** How long after a dropped log stream it is opened again. */
    private static final Duration LOG_RETRY = Duration.ofSeconds(1);
    /** How long the log stream may take to read the last lines once the Job ended. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

    private final KubernetesConnections connections;
    private final Supplier<String> publicUrl;
    private final Duration pollInterval;
    private final KubernetesServices services;
    private final ImageBuilds imageBuilds;

    /**
     * @param publicUrl how pods reach the server ({@code --public-url}, else the URL it listens on)
     */
    public KubernetesRuns(KubernetesConnections connections, Supplier<String> publicUrl, Duration pollInterval) {
        this.connections = requireNonNull(connections, "connections is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.services = new KubernetesServices(connections, publicUrl);
        this.imageBuilds = new ImageBuilds(connections, publicUrl, pollInterval);
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
        Optional<Environment> environment = needs.environment();
        if (environment.map(env -> env.kind() == EnvironmentKind.ATELIER).orElse(false)) {
            throw AtelierException.invalidParameter("Compute '" + target.name() + "' runs containers: the built-in 'atelier' "
                    + "environment (Atelier's own Java workloads) runs on the local target only");
        }
        if (!environment.map(Environment::runsInContainers).orElse(false)) {
            throw AtelierException.invalidParameter("Compute '" + target.name() + "' runs containers: 'environment' must name an "
                    + "image environment" + (environment.map(env -> env.kind() == EnvironmentKind.IMAGE).orElse(false)
                    ? " without a conda_file (to install packages into an image here, give the environment a 'build': a Dockerfile)"
                    : ""));
        }
        // An environment with a build needs a registry to push its image to (ImageBuilds)
        if (environment.flatMap(Environment::build).isPresent() && target.kubernetes().orElseThrow().registry().isEmpty()) {
            throw AtelierException.invalidParameter("Compute target '" + target.name() + "' has no kubernetes.registry to push built "
                    + "images to: environment '" + environment.get().reference() + "' is built from a Dockerfile (give the target a "
                    + "'kubernetes.registry', or the environment an 'image')");
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
    public Optional<RunHandle> reattach(ComputeTarget target, WorkloadId id, Instant lastLine, RunListener listener) {
        KubernetesSettings settings = target.kubernetes().orElseThrow();
        Supplier<KubernetesClient> clients = () -> connections.client(id.workspace(), settings, id.owner() + ":" + id.name());
        try (KubernetesClient client = clients.get()) {
            if (client.batch().v1().jobs().inNamespace(settings.namespace()).withName(id.objectName()).get() == null) {
                return Optional.empty();
            }
        }
        Run run = new Run(id, settings, listener, clients);
        run.logFrom = new PodLogStream.Position(lastLine, 0);
        Thread.ofVirtual().name("k8s-" + id.name()).start(run::follow);
        return Optional.of(run);
    }

    private final class Run implements RunHandle {
        private final WorkloadId id;
        private final String name;
        private final KubernetesSettings settings;
        private final RunListener listener;
        private final Supplier<KubernetesClient> clients;
        private volatile boolean stopRequested;
        private volatile boolean detached;
        private volatile boolean ended;
        private PodLogStream.Position logFrom = PodLogStream.Position.START;
        private PodLogStream logStream;
        private Thread logThread;

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
        public boolean detach() {
            detached = true;
            return true;
        }

        @Override
        public boolean ended() {
            return ended;
        }

        void create(RunSpec spec) {
            run(Optional.of(spec), spec.timeout());
        }

        /** Watches a Job a previous server process created (the cluster enforces its timeout: activeDeadlineSeconds). */
        void follow() {
            run(Optional.empty(), Optional.empty());
        }

        private void run(Optional<RunSpec> create, Optional<Duration> timeout) {
            RunOutcome outcome;
            try (KubernetesClient client = clients.get()) {
                try {
                    // An environment with a build runs in the image built for it, built first if need be
                    if (create.isPresent() && create.get().environment().flatMap(Environment::build).isPresent()) {
                        Optional<String> image = imageBuilds.ensure(client, settings, create.get(), listener::log,
                                () -> stopRequested || detached);
                        if (image.isEmpty() && detached) {
                            ended = true;
                            return;
                        }
                        create = Optional.of(ImageBuilds.inImage(create.get(), image.orElseThrow(ImageBuilds.Stopped::new)));
                    }
                    if (create.isPresent()) {
                        client.secrets().inNamespace(settings.namespace()).resource(KubernetesRunObjects.secret(create.get(), name))
                                .create();
                        client.batch().v1().jobs().inNamespace(settings.namespace())
                                .resource(KubernetesRunObjects.job(create.get(), settings, serverUrl(), connections.fetchImage(), name))
                                .create();
                        listener.log("system", "[atelier] Created Kubernetes Job " + settings.namespace() + "/" + name);
                    } else {
                        listener.log("system", "[atelier] Re-attached to Kubernetes Job " + settings.namespace() + "/" + name
                                + " after a server restart");
                    }
                    outcome = watch(client, timeout);
                    finishLogs(client);
                    if (detached) {
                        ended = true;
                        return;
                    }
                } catch (ImageBuilds.BuildFailed e) {
                    outcome = RunOutcome.failed(e.getMessage());
                } catch (ImageBuilds.Stopped e) {
                    outcome = new RunOutcome.Stopped(OptionalInt.empty());
                } catch (AtelierException e) {
                    outcome = RunOutcome.failed(e.getMessage());
                } catch (KubernetesClientException e) {
                    outcome = RunOutcome.failed("Kubernetes refused the " + id.owner() + ": " + e.getMessage());
                } finally {
                    if (!detached) {
                        cleanUp(client);
                    }
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
                if (detached) {
                    return new RunOutcome.Stopped(OptionalInt.empty());
                }
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
                if (logStream == null) {
                    followLogs(client);
                }
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
                        OptionalInt exit = exitCode(client);
                        if (exit.isPresent() && exit.getAsInt() == PodScripts.UPLOAD_FAILED) {
                            return new RunOutcome.Failed(exit, "Could not upload the outputs (the command itself succeeded)");
                        }
                        return new RunOutcome.Failed(exit, "The Kubernetes Job failed" + (reason.isEmpty() ? "" : ": " + reason));
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

        /** Starts following the main container's log once the Job has a pod. */
        private void followLogs(KubernetesClient client) {
            Optional<Pod> pod = pod(client);
            if (pod.isEmpty()) {
                return;
            }
            logStream = new PodLogStream(client, settings.namespace(), pod.get().getMetadata().getName(), "main", logFrom,
                    LOG_RETRY, line -> listener.log("stdout", line));
            PodLogStream stream = logStream;
            logThread = Thread.ofVirtual().name("k8s-log-" + id.name()).start(() -> {
                try {
                    stream.follow();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /** After the Job's end (or a detach): lets the log stream read the last lines, then stops it. */
        private void finishLogs(KubernetesClient client) {
            if (logStream == null && !detached) {
                followLogs(client);
            }
            if (logStream == null) {
                return;
            }
            try {
                if (!detached) {
                    logThread.join(LOG_DRAIN);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                logStream.close();
            }
        }

        private Optional<Pod> pod(KubernetesClient client) {
            try {
                return client.pods().inNamespace(settings.namespace()).withLabel(KubernetesRunObjects.RUN_LABEL, name).list().getItems()
                        .stream().findFirst();
            } catch (KubernetesClientException e) {
                return Optional.empty();
            }
        }

        /** The main container's exit code, when its pod says it terminated. */
        private OptionalInt exitCode(KubernetesClient client) {
            return pod(client).filter(pod -> pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
                    .flatMap(pod -> pod.getStatus().getContainerStatuses().stream()
                            .filter(status -> status.getName().equals("main") && status.getState() != null
                                    && status.getState().getTerminated() != null)
                            .map(status -> status.getState().getTerminated().getExitCode()).filter(code -> code != null).findFirst())
                    .map(OptionalInt::of).orElse(OptionalInt.empty());
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
