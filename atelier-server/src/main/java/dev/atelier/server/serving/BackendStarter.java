package dev.atelier.server.serving;

import dev.atelier.server.compute.WorkloadId;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** Starts a deployment's backend; blocks until it can answer or throws why it cannot. */
@FunctionalInterface
public interface BackendStarter {
    DeploymentBackend start(StartRequest request) throws Exception;

    /**
     * @param workDir a folder of its own for this generation (model files, code), deleted after it is closed
     */
    record StartRequest(String workspace, String endpoint, String deployment, long generation, DeploymentSpec spec, Path workDir) {
        public StartRequest {
            requireNonNull(workspace, "workspace is null");
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(deployment, "deployment is null");
            requireNonNull(spec, "spec is null");
            requireNonNull(workDir, "workDir is null");
        }

        /** The service workload of this deployment: the same on every generation and server replica. */
        public WorkloadId workloadId() {
            return workloadId(workspace, endpoint, deployment);
        }

        /** The service workload of deployment {@code deployment} of {@code endpoint}. */
        public static WorkloadId workloadId(String workspace, String endpoint, String deployment) {
            return new WorkloadId(workspace, "deployment", endpoint + "/" + deployment);
        }
    }
}
