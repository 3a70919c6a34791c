package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.serving.script.ScoringRunner;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentBackend;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Starts a deployment generation as a service workload of a target that fetches its files and gives one address
 * (Kubernetes): serves it through {@link Workloads}, which rolls it over to the new spec while the old replicas keep
 * serving, waits until the new revision is rolled out, and returns a {@link KubernetesBackend} for it. Starting the
 * same generation again (a restart, another server replica) serves the same spec and changes nothing. Retiring the
 * backend leaves the replicas running (a server stopping, or another replica serving, must not take them down): when
 * the deployment or its endpoint is deleted, or moves to another compute, the service is deleted
 * ({@link Workloads#deleteService}). Thread-safe.
 */
public final class KubernetesDeploymentStarter implements BackendStarter {
    private final Workloads workloads;
    private final KubernetesDeploymentSource source;
    private final Duration startTimeout;
    private final Duration pollInterval;
    private final Duration statusRefresh;

    /**
     * @param startTimeout  how long a rollout may take before the generation is recorded failed (the pods keep trying)
     * @param pollInterval  how often the rollout is checked while starting
     * @param statusRefresh how often a started backend reads the Deployment's status for {@code ready()}
     */
    public KubernetesDeploymentStarter(Workloads workloads, KubernetesDeploymentSource source, Duration startTimeout,
                                       Duration pollInterval, Duration statusRefresh) {
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.source = requireNonNull(source, "source is null");
        this.startTimeout = requireNonNull(startTimeout, "startTimeout is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.statusRefresh = requireNonNull(statusRefresh, "statusRefresh is null");
    }

    /**
     * @throws AtelierException INVALID_STATE with the pods' reason when they fail to start (image pull, crash loop,
     *                          failed download), or when the rollout is not done within the start timeout
     */
    @Override
    public DeploymentBackend start(StartRequest request) throws InterruptedException {
        KubernetesDeploymentSource.Resolved resolved = source.resolve(request);
        ServiceHandle service = workloads.serve(resolved.target(), resolved.spec(), ServiceListener.IGNORE);
        String address = service.address().orElseThrow(() -> AtelierException.invalidState("Compute '" + resolved.target().name()
                + "' gives no address for deployment '" + request.deployment() + "'"));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            ServiceStatus status = service.status();
            if (status.failure().isPresent()) {
                throw AtelierException.invalidState("The pods of deployment '" + request.deployment() + "' on Kubernetes target '"
                        + resolved.target().name() + "' do not start: " + explained(status.failure().get()));
            }
            if (status.rolledOut()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw AtelierException.invalidState("The pods of deployment '" + request.deployment() + "' on Kubernetes target '"
                        + resolved.target().name() + "' are not ready after " + startTimeout.toSeconds() + " s: " + status.readyReplicas()
                        + " of " + status.desiredReplicas() + " ready, " + status.updatedReplicas() + " updated");
            }
            Thread.sleep(pollInterval);
        }
        Duration requestTimeout = Duration.ofMillis(request.spec().requestSettings().requestTimeoutMs()).plusSeconds(1);
        return KubernetesBackend.start(service, request.deployment(), address, resolved.signature(), requestTimeout, statusRefresh);
    }

    /** A pod failure, with what the runner's exit code means when it says the scoring script's {@code init()} failed. */
    static String explained(String failure) {
        return failure.contains("container main: CrashLoopBackOff (last exit code " + ScoringRunner.INIT_FAILED_EXIT)
                ? failure + " (exit code " + ScoringRunner.INIT_FAILED_EXIT + ": the scoring script's init() failed)" : failure;
    }
}
