package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentBackend;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Starts a deployment generation on Kubernetes (the {@code kubernetes} {@link BackendStarter} of the endpoint
 * host): applies its objects, which rolls the Deployment over to the new spec while the old pods keep serving, waits
 * until the new revision is rolled out, and returns a {@link KubernetesBackend} for it. Starting the same generation
 * again (a restart, another server replica) applies the same objects and changes nothing in the cluster.
 * Retiring the backend leaves the pods running (a server stopping, or another replica serving, must not take them
 * down): when the deployment or its endpoint is deleted, or moves to another compute, call
 * {@link KubernetesServing#delete}. Thread-safe.
 */
public final class KubernetesDeploymentStarter implements BackendStarter {
    private final KubernetesServing serving;
    private final KubernetesDeploymentSource source;
    private final Duration startTimeout;
    private final Duration pollInterval;
    private final Duration statusRefresh;

    /**
     * @param startTimeout  how long a rollout may take before the generation is recorded failed (the pods keep trying)
     * @param pollInterval  how often the rollout is checked while starting
     * @param statusRefresh how often a started backend reads the Deployment's status for {@code ready()}
     */
    public KubernetesDeploymentStarter(KubernetesServing serving, KubernetesDeploymentSource source, Duration startTimeout,
                                       Duration pollInterval, Duration statusRefresh) {
        this.serving = requireNonNull(serving, "serving is null");
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
        KubernetesServingRef ref = resolved.spec().ref();
        serving.apply(resolved.target(), resolved.spec());
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            KubernetesDeploymentStatus status = serving.status(resolved.target(), ref);
            if (status.failure().isPresent()) {
                throw AtelierException.invalidState("The pods of deployment '" + request.deployment() + "' on Kubernetes target '"
                        + resolved.target().name() + "' do not start: " + status.failure().get());
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
        return KubernetesBackend.start(serving, resolved.target(), ref, resolved.signature(), requestTimeout, statusRefresh);
    }
}
