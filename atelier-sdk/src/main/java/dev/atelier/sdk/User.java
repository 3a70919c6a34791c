package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A user account as a server admin sees it.
 *
 * @param json the user object exactly as the server sent it
 */
public record User(String username, String displayName, String email, boolean serverAdmin, boolean disabled,
                   boolean mustChangePassword, Optional<Instant> createdAt, JsonNode json) {
    public User {
        requireNonNull(username, "username is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(email, "email is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(json, "json is null");
    }

    static User fromJson(JsonNode node) {
        return new User(JsonFields.text(node, "username"), JsonFields.text(node, "display_name"), JsonFields.text(node, "email"),
                JsonFields.bool(node, "server_admin"), JsonFields.bool(node, "disabled"), JsonFields.bool(node, "must_change_password"),
                JsonFields.instant(node, "created_at"), node);
    }
}
