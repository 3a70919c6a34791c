package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.serving.Deployment;
import dev.atelier.server.serving.ServingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Deletes a Kubernetes deployment's objects (Deployment, Service, ConfigMap, Secret) when the
 * deployment is deleted or moved to another compute target. Stopping a server leaves them running:
 * other replicas may serve them.
 */
public final class KubernetesCleanup implements ServingListener {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesCleanup.class);
    private final KubernetesServing kubernetes;
    private final ComputeService computes;

    public KubernetesCleanup(KubernetesServing kubernetes, ComputeService computes) {
        this.kubernetes = requireNonNull(kubernetes, "kubernetes is null");
        this.computes = requireNonNull(computes, "computes is null");
    }

    @Override
    public void changed(String workspace, String endpoint) {
    }

    @Override
    public void deploymentRemoved(String workspace, String endpoint, Deployment deployment) {
        ComputeTarget target;
        try {
            target = computes.get(workspace, deployment.spec().compute());
        } catch (RuntimeException gone) {
            return;
        }
        if (target.kind() != ComputeKind.KUBERNETES) {
            return;
        }
        try {
            kubernetes.delete(target, new KubernetesServingRef(workspace, endpoint, deployment.name()));
        } catch (RuntimeException e) {
            LOG.warn("could not delete the Kubernetes objects of deployment {} of endpoint {} in workspace {}: {}", deployment.name(),
                    endpoint, workspace, e.toString());
        }
    }
}
