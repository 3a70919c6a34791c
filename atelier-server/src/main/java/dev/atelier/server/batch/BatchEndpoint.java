package dev.atelier.server.batch;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A batch endpoint: a name that scoring jobs are started through, with the deployment they use unless they name one.
 *
 * @param authMode {@code key} (its keys or an Atelier token with WRITE invoke it) or {@code aad_token} (tokens only)
 */
public record BatchEndpoint(String workspace, String name, String description, String authMode, Optional<String> defaultDeployment,
                            Map<String, String> tags, String createdBy, long createdAt, long updatedAt) {
    public BatchEndpoint {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(authMode, "authMode is null");
        requireNonNull(defaultDeployment, "defaultDeployment is null");
        tags = Map.copyOf(tags);
        requireNonNull(createdBy, "createdBy is null");
    }

    /** Whether its keys invoke it ({@code auth_mode: key}). */
    public boolean keyAuth() {
        return authMode.equals("key");
    }
}
