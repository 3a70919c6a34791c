package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * The caller's own account ({@code /api/v1/auth}, {@code /api/v1/tokens}): who it is, its
 * password, and logging in the way a command line does. Thread-safe. Methods throw
 * {@link dev.atelier.api.AtelierException} ({@code UNAUTHENTICATED} for bad credentials,
 * {@code REQUEST_LIMIT_EXCEEDED} after too many failed logins) and
 * {@link ServerUnreachableException}.
 */
public final class AuthClient {
    private final HttpTransport transport;

    AuthClient(HttpTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    /**
     * Checks {@code username} and {@code password} and creates an API token for them named
     * {@code tokenName}, without expiry: a command line keeps the token instead of the password.
     * The request carries the password as HTTP Basic, whatever credentials this client has.
     */
    public CreatedToken login(String username, String password, String tokenName) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", requireNonNull(tokenName, "tokenName is null"));
        return CreatedToken.fromJson(transport.post(TokenClient.PATH, body, Credentials.basic(username, password)));
    }

    /** Who this client's credentials belong to, with their roles. */
    public CurrentUser me() {
        return CurrentUser.fromJson(transport.get("/api/v1/auth/me"));
    }

    /** Changes the caller's password; {@code INVALID_PARAMETER_VALUE} when the new one is refused. */
    public void changePassword(String currentPassword, String newPassword) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("current_password", requireNonNull(currentPassword, "currentPassword is null"))
                .put("new_password", requireNonNull(newPassword, "newPassword is null"));
        transport.post("/api/v1/auth/password", body);
    }
}
