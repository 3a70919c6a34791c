package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What model-versions/create asks for.
 *
 * @param modelId MLflow 3's logged model the version is registered from ({@code m-} and 32 hex digits)
 */
public record NewModelVersion(String name, String source, Optional<String> runId, List<KeyValue> tags, String description,
                              Optional<String> modelId) {
    public NewModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        tags = List.copyOf(tags);
        requireNonNull(description, "description is null");
        requireNonNull(modelId, "modelId is null");
    }

    /** A version of no logged model. */
    public NewModelVersion(String name, String source, Optional<String> runId, List<KeyValue> tags, String description) {
        this(name, source, runId, tags, description, Optional.empty());
    }

    /** This version registered from the logged model {@code id}. */
    public NewModelVersion withModelId(String id) {
        return new NewModelVersion(name, source, runId, tags, description, Optional.of(id));
    }
}
