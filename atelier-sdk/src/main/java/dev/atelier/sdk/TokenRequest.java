package dev.atelier.sdk;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What to create a token with ({@code POST /api/v1/tokens}).
 *
 * @param expiresInDays how many days it stays valid; empty for no expiry
 * @param workspace     restrict it to this workspace; empty for every workspace its owner may use
 * @param readOnly      allow only reading
 */
public record TokenRequest(String name, Optional<Integer> expiresInDays, Optional<String> workspace, boolean readOnly) {
    public TokenRequest {
        requireNonNull(name, "name is null");
        requireNonNull(expiresInDays, "expiresInDays is null");
        requireNonNull(workspace, "workspace is null");
        expiresInDays.ifPresent(days -> {
            if (days < 1) {
                throw new IllegalArgumentException("expiresInDays must be at least 1: " + days);
            }
        });
    }

    /** A token without expiry, for every workspace, allowed to write. */
    public static TokenRequest named(String name) {
        return new TokenRequest(name, Optional.empty(), Optional.empty(), false);
    }
}
