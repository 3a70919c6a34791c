package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * A user's role in a workspace.
 *
 * @param role the role as the server spells it, such as {@code Data Scientist}
 * @param json the assignment exactly as the server sent it
 */
public record RoleAssignment(String username, String role, JsonNode json) {
    public RoleAssignment {
        requireNonNull(username, "username is null");
        requireNonNull(role, "role is null");
        requireNonNull(json, "json is null");
    }

    static RoleAssignment fromJson(JsonNode node) {
        return new RoleAssignment(JsonFields.text(node, "username"), JsonFields.text(node, "role"), node);
    }
}
