package dev.atelier.server.serving;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A deployment of a model version behind an endpoint, with where it stands.
 *
 * @param generation grows with each update of its spec, and across deletion and re-creation under the same name
 *                   ({@link EndpointStore#createDeployment}); every server replica serves the newest one it could start
 */
public record Deployment(String endpoint, String name, DeploymentSpec spec, long generation, ProvisioningState state,
                         Optional<String> error, long createdAt, long updatedAt) {
    public Deployment {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(name, "name is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(state, "state is null");
        requireNonNull(error, "error is null");
    }

    /** The same deployment at {@code newGeneration}. */
    Deployment atGeneration(long newGeneration) {
        return new Deployment(endpoint, name, spec, newGeneration, state, error, createdAt, updatedAt);
    }
}
