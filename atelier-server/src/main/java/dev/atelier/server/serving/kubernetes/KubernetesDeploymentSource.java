package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.serving.BackendStarter;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Resolves what a deployment generation runs on Kubernetes: its target, its pods' spec and its model's signature. */
@FunctionalInterface
public interface KubernetesDeploymentSource {
    /**
     * @throws dev.atelier.api.AtelierException when something the deployment names is gone or does not fit
     */
    Resolved resolve(BackendStarter.StartRequest request);

    record Resolved(ComputeTarget target, KubernetesServingSpec spec, Optional<ModelSignature> signature) {
        public Resolved {
            requireNonNull(target, "target is null");
            requireNonNull(spec, "spec is null");
            requireNonNull(signature, "signature is null");
        }
    }
}
