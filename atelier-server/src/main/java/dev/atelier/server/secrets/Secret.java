package dev.atelier.server.secrets;

import static java.util.Objects.requireNonNull;

/**
 * A secret's metadata, never its value.
 *
 * @param version     the current version; versions count from 1
 * @param createdBy   who created the secret (its first version)
 * @param createdAt   when the secret was created, epoch ms
 * @param updatedAt   when its current version was written, epoch ms
 */
public record Secret(String name, int version, String description, String createdBy, long createdAt, long updatedAt) {
    public Secret {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdBy, "createdBy is null");
    }
}
