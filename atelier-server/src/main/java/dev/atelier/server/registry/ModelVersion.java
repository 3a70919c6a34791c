package dev.atelier.server.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.atelier.server.tracking.KeyValue;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A model version as MLflow's API shows it (model_registry.proto ModelVersion), components in
 * MLflow's field order. {@code description} and {@code runLink} are always written, even empty;
 * {@code runId} is null when the version has none and then written as {@code ""}, as MLflow's server
 * writes a version created without a run (a prompt, seq 25 of the second wire recording). Aliases are shown only by some calls
 * (get, get-by-alias, update, transition-stage), so {@link #withoutAliases()} drops them.
 * {@code statusMessage} is written only when set (a failed registration says why).
 * {@code storageLocation} is not on the wire: the folder, relative to the workspace's artifact
 * root, holding the registry's copy of the files; null for versions registered before the
 * registry kept copies. {@code modelId} (MLflow 3's logged model the version was registered from) is written only
 * when set.
 */
@JsonPropertyOrder({"name", "version", "creation_timestamp", "last_updated_timestamp", "current_stage", "description", "source",
        "run_id", "status", "status_message", "tags", "run_link", "aliases", "model_id"})
public record ModelVersion(
        String name,
        String version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String currentStage,
        String description,
        String source,
        @JsonIgnore String runId,
        String status,
        String statusMessage,
        List<KeyValue> tags,
        String runLink,
        List<String> aliases,
        @JsonIgnore String storageLocation,
        String modelId) {

    public static final String READY = "READY";
    public static final String PENDING_REGISTRATION = "PENDING_REGISTRATION";
    public static final String FAILED_REGISTRATION = "FAILED_REGISTRATION";

    public ModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(currentStage, "currentStage is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        requireNonNull(status, "status is null");
        requireNonNull(runLink, "runLink is null");
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    public ModelVersion withoutAliases() {
        return new ModelVersion(name, version, creationTimestamp, lastUpdatedTimestamp, currentStage, description, source,
                runId, status, statusMessage, tags, runLink, List.of(), storageLocation, modelId);
    }

    /** The run id on the wire: {@code ""} when there is none. */
    @JsonProperty("run_id")
    public String wireRunId() {
        return runId == null ? "" : runId;
    }

    /** A prompt of MLflow's prompt registry: its text is in its tags and it has no files ({@link RegistryService#createModelVersion}). */
    @JsonIgnore
    public boolean isPrompt() {
        return tags.stream().anyMatch(tag -> tag.key().equals(RegistryFilter.PROMPT_TAG));
    }

    @JsonIgnore
    public boolean isReady() {
        return READY.equals(status);
    }
}
