package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What can be known about a secret without reading its value.
 *
 * @param version increases with every update
 * @param json    the metadata exactly as the server sent it
 */
public record SecretMetadata(String name, long version, String description, String createdBy, Optional<Instant> createdAt,
                             Optional<Instant> updatedAt, JsonNode json) {
    public SecretMetadata {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(json, "json is null");
    }

    static SecretMetadata fromJson(JsonNode node) {
        return new SecretMetadata(JsonFields.text(node, "name"), JsonFields.longValue(node, "version"),
                JsonFields.text(node, "description"), JsonFields.text(node, "created_by"),
                JsonFields.instant(node, "created_at"), JsonFields.instant(node, "updated_at"), node);
    }
}
