package dev.atelier.server.auth;

import static java.util.Objects.requireNonNull;

/** A user row with its Argon2id password hash (PHC string); stays inside the auth domain. */
record StoredUser(User user, String passwordHash) {
    StoredUser {
        requireNonNull(user, "user is null");
        requireNonNull(passwordHash, "passwordHash is null");
    }
}
