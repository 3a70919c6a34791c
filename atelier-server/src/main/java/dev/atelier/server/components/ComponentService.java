package dev.atelier.server.components;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.snapshots.SnapshotService;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Registration and reading of components (docs/pipelines.md): a version is checked whole (document, code snapshot,
 * environment) before it is written, and never changes once written. Thread-safe.
 */
public final class ComponentService {
    private final ComponentStore store;
    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final Clock clock;

    public ComponentService(JdbcComponentStore store, SnapshotService snapshots, EnvironmentService environments, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Registers a version from its document (YAML as JSON); the version is generated when the document has none. */
    public Component create(String workspace, String user, JsonNode document) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }

    public Component get(String workspace, String name, Optional<String> version) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }

    /** The latest version of every component of the workspace (archived ones when asked). */
    public List<Component> list(String workspace, boolean includeArchived) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }

    /**
     * The version a pipeline step references: {@code azureml:<name>:<version>}, {@code azureml:<name>@latest} (the newest
     * version not archived), or the same without {@code azureml:}. An unknown one is a {@code RESOURCE_DOES_NOT_EXIST}
     * naming {@code field}.
     */
    public Component resolve(String workspace, String field, String reference) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }
}
