package dev.atelier.server.auth;

import static java.util.Objects.requireNonNull;

/** A user's role in one workspace, as {@code GET /api/v1/access} lists it: {@code {username, role}}. */
public record RoleAssignment(String username, String role) {
    public RoleAssignment {
        requireNonNull(username, "username is null");
        requireNonNull(role, "role is null");
    }

    static RoleAssignment of(String username, Role role) {
        return new RoleAssignment(username, role.displayName());
    }
}
