package dev.atelier.server.workspace;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
import dev.atelier.server.http.WorkspaceGuard;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Rules of workspaces: names, the always-present {@code default}, deletion that needs
 * {@code force} when the workspace holds data. Thread-safe.
 */
public final class WorkspaceService implements WorkspaceGuard {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final WorkspaceStore store;
    private final Clock clock;
    private final List<WorkspaceParticipant> participants = new CopyOnWriteArrayList<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public WorkspaceService(WorkspaceStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Registers a domain to be told of creations and deletions. */
    public void addParticipant(WorkspaceParticipant participant) {
        participants.add(requireNonNull(participant, "participant is null"));
    }

    /** Creates {@code default} when missing and lets every participant initialize it; idempotent. */
    public void ensureDefault() {
        long now = clock.millis();
        store.createWorkspace(new Workspace(Workspace.DEFAULT, "The default workspace", Map.of(), now, now));
        participants.forEach(participant -> participant.workspaceCreated(Workspace.DEFAULT));
        known.add(Workspace.DEFAULT);
    }

    public Workspace create(String name, String description, Map<String, String> tags) {
        validateName(name);
        long now = clock.millis();
        Workspace workspace = new Workspace(name, description, tags, now, now);
        if (!store.createWorkspace(workspace)) {
            throw AtelierException.alreadyExists("Workspace '" + name + "' already exists");
        }
        participants.forEach(participant -> participant.workspaceCreated(name));
        known.add(name);
        return workspace;
    }

    public Workspace get(String name) {
        return store.getWorkspace(name).orElseThrow(() -> notFound(name));
    }

    public List<Workspace> list() {
        return store.listWorkspaces();
    }

    public Workspace update(String name, Optional<String> description, Map<String, String> tags) {
        if (!store.updateWorkspace(name, description, tags, clock.millis())) {
            throw notFound(name);
        }
        return get(name);
    }

    /** Deletes a workspace with everything in it; one that holds data needs {@code force}. */
    public void delete(String name, boolean force) {
        if (Workspace.DEFAULT.equals(name)) {
            throw AtelierException.invalidParameter("The 'default' workspace cannot be deleted");
        }
        get(name);
        if (!force && participants.stream().anyMatch(participant -> participant.holdsData(name))) {
            throw AtelierException.invalidState("Workspace '" + name + "' is not empty; delete it with force=true "
                    + "to remove its experiments, runs and artifacts too");
        }
        known.remove(name);
        store.deleteWorkspace(name);
        participants.forEach(participant -> participant.workspaceDeleted(name));
    }

    @Override
    public void requireExists(String workspace) {
        if (known.contains(workspace)) {
            return;
        }
        if (store.getWorkspace(workspace).isEmpty()) {
            throw notFound(workspace);
        }
        known.add(workspace);
    }

    private static void validateName(String name) {
        requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid workspace name '" + name + "': use 1 to 63 lowercase letters, "
                    + "digits and dashes, starting with a letter or digit");
        }
    }

    private static AtelierException notFound(String name) {
        return AtelierException.notFound("Workspace '" + name + "' does not exist");
    }
}
