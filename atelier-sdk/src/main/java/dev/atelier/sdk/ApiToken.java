package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An API token as listed: everything but the secret, which the server shows only at creation.
 *
 * @param workspace the one workspace the token is restricted to, or empty for all of its owner's
 * @param readOnly  whether it may only read
 * @param json      the token object exactly as the server sent it
 */
public record ApiToken(String id, String name, Optional<String> workspace, boolean readOnly, Optional<Instant> expiresAt,
                       Optional<Instant> createdAt, JsonNode json) {
    public ApiToken {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(expiresAt, "expiresAt is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(json, "json is null");
    }

    static ApiToken fromJson(JsonNode node) {
        return new ApiToken(JsonFields.text(node, "id"), JsonFields.text(node, "name"),
                JsonFields.optionalText(node, "workspace").filter(name -> !name.isEmpty()), JsonFields.bool(node, "read_only"),
                JsonFields.instant(node, "expires_at"), JsonFields.instant(node, "created_at"), node);
    }
}
