package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A registered model as MLflow's API shows it (model_registry.proto RegisteredModel), components
 * in MLflow's field order. {@code description} is null (left out) until one is set;
 * {@code latestVersions} holds the newest version of each stage, without aliases.
 */
public record RegisteredModel(
        String name,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String description,
        List<ModelVersion> latestVersions,
        List<KeyValue> tags,
        List<ModelAlias> aliases) {

    public RegisteredModel {
        requireNonNull(name, "name is null");
        latestVersions = List.copyOf(latestVersions);
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
