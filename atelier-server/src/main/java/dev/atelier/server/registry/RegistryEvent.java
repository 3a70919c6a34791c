package dev.atelier.server.registry;

import java.util.Map;
import java.util.Optional;

/**
 * A change to the registry, told to {@link RegistryEvents} after it was written: the events MLflow's webhooks name
 * (registered model and version created, version tags set and deleted, aliases created and deleted) and the model tag
 * changes that are prompt events for a prompt. {@code model} is the registered model's name.
 */
public sealed interface RegistryEvent {
    String model();

    record ModelCreated(String model, Map<String, String> tags, Optional<String> description) implements RegistryEvent {
    }

    record VersionCreated(String model, String version, String source, Optional<String> runId, Map<String, String> tags,
                          Optional<String> description) implements RegistryEvent {
    }

    record ModelTagSet(String model, String key, String value) implements RegistryEvent {
    }

    record ModelTagDeleted(String model, String key) implements RegistryEvent {
    }

    record VersionTagSet(String model, String version, String key, String value) implements RegistryEvent {
    }

    record VersionTagDeleted(String model, String version, String key) implements RegistryEvent {
    }

    record AliasCreated(String model, String alias, String version) implements RegistryEvent {
    }

    record AliasDeleted(String model, String alias) implements RegistryEvent {
    }
}
