package dev.atelier.server.serving;

import java.util.Optional;

/**
 * Issues and revokes the read-only API tokens the pods of a Kubernetes deployment download their code
 * and model with; {@link #NONE} when the server has no authentication.
 */
public interface DeploymentTokenIssuer {
    DeploymentTokenIssuer NONE = new DeploymentTokenIssuer() {
        @Override
        public Optional<Issued> issue(String workspace, String user, String name) {
            return Optional.empty();
        }

        @Override
        public void revoke(String user, String tokenId) {
            // Nothing was issued.
        }
    };

    /** A token and the id to revoke it by. */
    record Issued(String tokenId, String token) {
    }

    /** A read-only token of {@code user}, restricted to {@code workspace}, named {@code name}. */
    Optional<Issued> issue(String workspace, String user, String name);

    void revoke(String user, String tokenId);
}
