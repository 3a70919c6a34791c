package dev.atelier.sdk;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A user account to create ({@code POST /api/v1/users}). {@code toString} hides the password. */
public record NewUser(String username, String password, Optional<String> displayName, Optional<String> email, boolean serverAdmin) {
    public NewUser {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(email, "email is null");
    }

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", password=***, displayName=" + displayName + ", email=" + email
                + ", serverAdmin=" + serverAdmin + "]";
    }
}
