package dev.atelier.server.serving;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A deployment of a model version behind an endpoint, with where it stands.
 *
 * @param generation counts the updates of its spec; every server replica serves the newest one it could start
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
}
