package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One registered component version as the server reports it (docs/components.md).
 *
 * @param document the registered document (YAML fields as JSON), with {@code code} ({@code snapshot:<id>}) and
 *                 {@code environment} ({@code azureml:<name>:<version>}) pinned; its {@code inputs} and {@code outputs}
 * @param json     the version exactly as the server sent it
 */
public record Component(String name, String version, String displayName, String description, boolean deterministic, boolean archived,
                        Optional<String> code, Optional<String> environment, String command, String createdBy, Optional<Instant> createdAt,
                        JsonNode document, JsonNode json) {
    public Component {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        requireNonNull(code, "code is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(command, "command is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(document, "document is null");
        requireNonNull(json, "json is null");
    }

    /** {@code azureml:name:version}, as a pipeline step references it. */
    public String reference() {
        return "azureml:" + name + ":" + version;
    }

    static Component fromJson(JsonNode node) {
        JsonNode document = node.path("document");
        return new Component(JsonFields.text(node, "name"), JsonFields.text(node, "version"), JsonFields.text(document, "display_name"),
                JsonFields.text(document, "description"),
                !document.has("is_deterministic") || JsonFields.bool(document, "is_deterministic"),
                JsonFields.bool(node, "archived"), JsonFields.optionalText(document, "code"),
                JsonFields.optionalText(document, "environment"), JsonFields.text(document, "command"), JsonFields.text(node, "created_by"),
                JsonFields.instant(node, "created_at"), document, node);
    }
}
