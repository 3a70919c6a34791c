package dev.atelier.server.serving;

import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.Workloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Deletes a deployment's service workload (on Kubernetes its Deployment, Service, ConfigMap and Secret) when the
 * deployment is deleted or moved to another compute target. Stopping a server leaves it running: other replicas may
 * serve it. Thread-safe.
 */
public final class ServiceCleanup implements ServingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceCleanup.class);
    private final Workloads workloads;
    private final ComputeService computes;

    public ServiceCleanup(Workloads workloads, ComputeService computes) {
        this.workloads = requireNonNull(workloads, "workloads is null");
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
        try {
            workloads.deleteService(target, BackendStarter.StartRequest.workloadId(workspace, endpoint, deployment.name()));
        } catch (RuntimeException e) {
            LOG.warn("could not delete the service workload of deployment {} of endpoint {} in workspace {}: {}", deployment.name(),
                    endpoint, workspace, e.toString());
        }
    }
}
