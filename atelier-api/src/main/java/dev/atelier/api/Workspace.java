package dev.atelier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A workspace as the native API {@code /api/v1/workspaces} returns it. */
public record Workspace(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("tags") Map<String, String> tags,
        @JsonProperty("creation_time") long creationTime,
        @JsonProperty("last_update_time") long lastUpdateTime) {

    public static final String DEFAULT = "default";

    public Workspace {
        requireNonNull(name, "name is null");
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
