package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A version of a registered model, as MLflow's registry API shows it.
 *
 * @param status        {@code PENDING_REGISTRATION} while its files are copied, then {@code READY} or
 *                      {@code FAILED_REGISTRATION} (with {@code statusMessage})
 * @param currentStage  {@code None}, {@code Staging}, {@code Production} or {@code Archived}
 * @param json          the version object exactly as the server sent it
 */
public record ModelVersion(
        String name,
        String version,
        String status,
        Optional<String> statusMessage,
        String currentStage,
        String source,
        Optional<String> runId,
        String description,
        long creationTimestamp,
        List<String> aliases,
        Map<String, String> tags,
        JsonNode json) {

    public static final String READY = "READY";
    public static final String PENDING_REGISTRATION = "PENDING_REGISTRATION";

    public ModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(status, "status is null");
        requireNonNull(statusMessage, "statusMessage is null");
        requireNonNull(currentStage, "currentStage is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(description, "description is null");
        aliases = List.copyOf(aliases);
        tags = Map.copyOf(tags);
        requireNonNull(json, "json is null");
    }

    public boolean isPending() {
        return PENDING_REGISTRATION.equals(status);
    }

    static ModelVersion fromJson(JsonNode node) {
        List<String> aliases = new ArrayList<>();
        node.path("aliases").forEach(alias -> aliases.add(alias.asText()));
        return new ModelVersion(JsonFields.text(node, "name"), JsonFields.text(node, "version"), JsonFields.text(node, "status"),
                JsonFields.optionalText(node, "status_message"), JsonFields.text(node, "current_stage"), JsonFields.text(node, "source"),
                JsonFields.optionalText(node, "run_id").filter(id -> !id.isEmpty()), JsonFields.text(node, "description"),
                JsonFields.longValue(node, "creation_timestamp"), aliases, JsonFields.keyValues(node, "tags"), node);
    }
}
