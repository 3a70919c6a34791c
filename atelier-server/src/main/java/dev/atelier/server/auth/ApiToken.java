package dev.atelier.server.auth;

import static java.util.Objects.requireNonNull;

/**
 * An API token as {@code GET /api/v1/tokens} lists it: never the secret, which only its SHA-256 is kept of.
 *
 * @param workspace the one workspace the token may be used on; null when unrestricted
 * @param readOnly  the token may only call READ, AUTHENTICATED and PUBLIC routes
 * @param expiresAt epoch milliseconds after which the token is refused; null when it does not expire
 */
public record ApiToken(String id, String username, String name, String workspace, boolean readOnly, Long expiresAt,
                       long createdAt) {
    public ApiToken {
        requireNonNull(id, "id is null");
        requireNonNull(username, "username is null");
        requireNonNull(name, "name is null");
    }

    boolean expiredAt(long now) {
        return expiresAt != null && now >= expiresAt;
    }
}
