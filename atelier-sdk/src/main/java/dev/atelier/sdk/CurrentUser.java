package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Who the credentials belong to ({@code GET /api/v1/auth/me}).
 *
 * @param roles role by workspace name, such as {@code {"team-a": "Owner"}}
 * @param json  the answer exactly as the server sent it
 */
public record CurrentUser(String username, String displayName, String email, boolean serverAdmin, boolean mustChangePassword,
                          Map<String, String> roles, JsonNode json) {
    public CurrentUser {
        requireNonNull(username, "username is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(email, "email is null");
        roles = Map.copyOf(requireNonNull(roles, "roles is null"));
        requireNonNull(json, "json is null");
    }

    static CurrentUser fromJson(JsonNode node) {
        Map<String, String> roles = new TreeMap<>();
        node.path("roles").properties().forEach(entry -> roles.put(entry.getKey(), entry.getValue().asText()));
        return new CurrentUser(JsonFields.text(node, "username"), JsonFields.text(node, "display_name"),
                JsonFields.text(node, "email"), JsonFields.bool(node, "server_admin"), JsonFields.bool(node, "must_change_password"),
                roles, node);
    }
}
