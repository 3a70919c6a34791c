package dev.atelier.server.auth;

import static java.util.Objects.requireNonNull;

/** The answer to creating a token: the only time its secret {@code token} is shown. */
public record IssuedToken(String id, String name, String token, String workspace, boolean readOnly, Long expiresAt,
                          long createdAt) {
    public IssuedToken {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(token, "token is null");
    }

    static IssuedToken of(ApiToken token, String secret) {
        return new IssuedToken(token.id(), token.name(), secret, token.workspace(), token.readOnly(), token.expiresAt(),
                token.createdAt());
    }
}
