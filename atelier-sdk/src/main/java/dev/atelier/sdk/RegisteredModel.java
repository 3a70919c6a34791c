package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A registered model, as MLflow's registry API shows it.
 *
 * @param aliases        alias to the version it points at
 * @param latestVersions the newest version in each stage
 * @param json           the model object exactly as the server sent it
 */
public record RegisteredModel(
        String name,
        String description,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        Map<String, String> tags,
        Map<String, String> aliases,
        List<ModelVersion> latestVersions,
        JsonNode json) {

    public RegisteredModel {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        tags = Map.copyOf(tags);
        aliases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        latestVersions = List.copyOf(latestVersions);
        requireNonNull(json, "json is null");
    }

    static RegisteredModel fromJson(JsonNode node) {
        Map<String, String> aliases = new LinkedHashMap<>();
        node.path("aliases").forEach(alias -> aliases.put(JsonFields.text(alias, "alias"), JsonFields.text(alias, "version")));
        List<ModelVersion> latest = new ArrayList<>();
        node.path("latest_versions").forEach(version -> latest.add(ModelVersion.fromJson(version)));
        return new RegisteredModel(JsonFields.text(node, "name"), JsonFields.text(node, "description"),
                JsonFields.longValue(node, "creation_timestamp"), JsonFields.longValue(node, "last_updated_timestamp"),
                JsonFields.keyValues(node, "tags"), aliases, latest, node);
    }
}
