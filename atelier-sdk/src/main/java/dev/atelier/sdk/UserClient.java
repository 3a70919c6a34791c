package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * User accounts ({@code /api/v1/users}); every method needs a server admin. Thread-safe. Methods
 * throw {@link dev.atelier.api.AtelierException} ({@code PERMISSION_DENIED} for anyone else,
 * {@code RESOURCE_DOES_NOT_EXIST}, {@code RESOURCE_ALREADY_EXISTS}) and
 * {@link ServerUnreachableException}.
 */
public final class UserClient {
    private static final String PATH = "/api/v1/users";

    private final HttpTransport transport;

    UserClient(HttpTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    public User create(NewUser user) {
        requireNonNull(user, "user is null");
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("username", user.username())
                .put("password", user.password());
        user.displayName().ifPresent(name -> body.put("display_name", name));
        user.email().ifPresent(email -> body.put("email", email));
        if (user.serverAdmin()) {
            body.put("server_admin", true);
        }
        return User.fromJson(transport.post(PATH, body));
    }

    public List<User> list() {
        List<User> users = new ArrayList<>();
        transport.get(PATH).path("users").forEach(node -> users.add(User.fromJson(node)));
        return users;
    }

    public User get(String username) {
        return User.fromJson(transport.get(path(username)));
    }

    public User update(String username, UserUpdate update) {
        requireNonNull(update, "update is null");
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        update.displayName().ifPresent(name -> body.put("display_name", name));
        update.email().ifPresent(email -> body.put("email", email));
        update.disabled().ifPresent(disabled -> body.put("disabled", disabled));
        update.serverAdmin().ifPresent(admin -> body.put("server_admin", admin));
        return User.fromJson(transport.patch(path(username), body));
    }

    /**
     * Sets a new password, or has the server generate one when {@code newPassword} is empty, and
     * returns it; the user must change it at the next login.
     */
    public String resetPassword(String username, Optional<String> newPassword) {
        return resetPassword(username, newPassword, false).password();
    }

    /**
     * Like {@link #resetPassword(String, Optional)}; with {@code revokeTokens} the server also revokes
     * every API token of the user (the reset always ends their portal sessions).
     */
    public PasswordReset resetPassword(String username, Optional<String> newPassword, boolean revokeTokens) {
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        requireNonNull(newPassword, "newPassword is null").ifPresent(password -> body.put("new_password", password));
        if (revokeTokens) {
            body.put("revoke_tokens", true);
        }
        JsonNode answer = transport.post(path(username) + "/reset-password", body);
        return new PasswordReset(JsonFields.text(answer, "password"), answer.path("revoked_tokens").asInt(0));
    }

    /** A reset's new password (shown once) and how many API tokens it revoked. */
    public record PasswordReset(String password, int revokedTokens) {
        public PasswordReset {
            requireNonNull(password, "password is null");
        }
    }

    private static String path(String username) {
        return PATH + "/" + HttpTransport.encode(requireNonNull(username, "username is null"));
    }
}
