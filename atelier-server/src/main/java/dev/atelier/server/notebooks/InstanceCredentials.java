package dev.atelier.server.notebooks;

import dev.atelier.server.auth.IssuedToken;
import dev.atelier.server.auth.TokenService;
import dev.atelier.server.http.Principal;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The token a notebook server's MLflow calls carry: a token of the instance's owner named
 * {@code notebook:<workspace>/<name>}, restricted to the workspace, issued at each start and revoked at each stop and
 * at deletion. Empty where the server has no authentication. Thread-safe.
 */
public interface InstanceCredentials {
    InstanceCredentials NONE = new InstanceCredentials() {
        @Override
        public Optional<String> issue(String workspace, String owner, String name) {
            return Optional.empty();
        }

        @Override
        public void revoke(String workspace, String owner, String name) {
        }
    };

    Optional<String> issue(String workspace, String owner, String name);

    void revoke(String workspace, String owner, String name);

    /** Over the auth domain's API tokens. */
    static InstanceCredentials tokens(TokenService tokens) {
        requireNonNull(tokens, "tokens is null");
        return new InstanceCredentials() {
            @Override
            public Optional<String> issue(String workspace, String owner, String name) {
                revoke(workspace, owner, name);
                Principal principal = new Principal(owner, false, Optional.of(workspace), false, Principal.Method.BEARER_TOKEN);
                IssuedToken token = tokens.create(principal, Optional.empty(), tokenName(workspace, name), Optional.empty(),
                        Optional.of(workspace), false);
                return Optional.of(token.token());
            }

            @Override
            public void revoke(String workspace, String owner, String name) {
                Principal principal = new Principal(owner, false, Optional.empty(), false, Principal.Method.BEARER_TOKEN);
                String tokenName = tokenName(workspace, name);
                tokens.list(owner).stream().filter(token -> token.name().equals(tokenName))
                        .forEach(token -> tokens.revoke(principal, token.id()));
            }
        };
    }

    private static String tokenName(String workspace, String name) {
        return "notebook:" + workspace + "/" + name;
    }
}
