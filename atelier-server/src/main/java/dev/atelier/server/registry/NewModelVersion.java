package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** What model-versions/create asks for. */
public record NewModelVersion(String name, String source, Optional<String> runId, List<KeyValue> tags, String description) {
    public NewModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        tags = List.copyOf(tags);
        requireNonNull(description, "description is null");
    }
}
