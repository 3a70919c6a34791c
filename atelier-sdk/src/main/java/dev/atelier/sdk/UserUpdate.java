package dev.atelier.sdk;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Changes to a user account ({@code PATCH /api/v1/users/{username}}); empty fields stay as they are. */
public record UserUpdate(Optional<String> displayName, Optional<String> email, Optional<Boolean> disabled, Optional<Boolean> serverAdmin) {
    public UserUpdate {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(email, "email is null");
        requireNonNull(disabled, "disabled is null");
        requireNonNull(serverAdmin, "serverAdmin is null");
    }

    /** Disables ({@code true}) or enables again ({@code false}) the account, changing nothing else. */
    public static UserUpdate disabled(boolean disabled) {
        return new UserUpdate(Optional.empty(), Optional.empty(), Optional.of(disabled), Optional.empty());
    }
}
