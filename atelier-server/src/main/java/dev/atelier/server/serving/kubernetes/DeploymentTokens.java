package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.serving.BackendStarter;

import java.util.Optional;

/**
 * The API token a deployment's pods download its code and model with, read-only in its workspace is enough. It is
 * only used when a pod starts (pods of later restarts and scale-ups read the Secret again), so it must stay valid
 * while the deployment exists. It is asked on every start of a generation, on every server replica: answer the same
 * token for the same deployment (keep it, as a workspace secret say) instead of issuing one each time, and revoke it
 * when the deployment is deleted. {@link #NONE} when the server has no authentication.
 */
@FunctionalInterface
public interface DeploymentTokens {
    DeploymentTokens NONE = request -> Optional.empty();

    Optional<String> token(BackendStarter.StartRequest request);
}
