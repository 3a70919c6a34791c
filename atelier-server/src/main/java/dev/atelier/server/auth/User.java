package dev.atelier.server.auth;

import static java.util.Objects.requireNonNull;

/**
 * A user as {@code /api/v1/users} returns it; never carries the password hash.
 *
 * @param mustChangePassword the user may only change the password, see who they are and log out until
 *                           the password is changed (first admin, after an admin reset)
 */
public record User(String username, String displayName, String email, boolean serverAdmin, boolean disabled,
                   boolean mustChangePassword, long creationTime, long lastUpdateTime) {
    public User {
        requireNonNull(username, "username is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(email, "email is null");
    }
}
