package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.serving.BackendStarter;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Resolves what a deployment generation serves on a target that fetches its files: its target, its service workload and its model's signature. */
@FunctionalInterface
public interface KubernetesDeploymentSource {
    /**
     * @throws dev.atelier.api.AtelierException when something the deployment names is gone or does not fit
     */
    Resolved resolve(BackendStarter.StartRequest request);

    record Resolved(ComputeTarget target, ServiceSpec spec, Optional<ModelSignature> signature) {
        public Resolved {
            requireNonNull(target, "target is null");
            requireNonNull(spec, "spec is null");
            requireNonNull(signature, "signature is null");
        }
    }
}
