package dev.atelier.server.serving;

import dev.atelier.server.auth.IssuedToken;
import dev.atelier.server.auth.TokenService;
import dev.atelier.server.http.Principal;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@link DeploymentTokenIssuer} from the auth domain's API tokens: read-only, restricted to the
 * deployment's workspace, valid ten years (they are revoked with the deployment). The pods act
 * with the endpoint creator's role in that workspace, read-only.
 */
public final class TokenDeploymentIssuer implements DeploymentTokenIssuer {
    private static final int VALID_DAYS = 3650;
    private final TokenService tokens;

    public TokenDeploymentIssuer(TokenService tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public Optional<Issued> issue(String workspace, String user, String name) {
        Principal owner = new Principal(user, false, Optional.of(workspace), false, Principal.Method.BEARER_TOKEN);
        IssuedToken token = tokens.create(owner, Optional.empty(), name, Optional.of(VALID_DAYS), Optional.of(workspace), true);
        return Optional.of(new Issued(token.id(), token.token()));
    }

    @Override
    public void revoke(String user, String tokenId) {
        tokens.revoke(new Principal(user, false, Optional.empty(), false, Principal.Method.BEARER_TOKEN), tokenId);
    }
}
