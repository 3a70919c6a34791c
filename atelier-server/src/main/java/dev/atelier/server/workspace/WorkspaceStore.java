package dev.atelier.server.workspace;

import dev.atelier.api.Workspace;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of workspaces. Implementations are thread-safe. */
public interface WorkspaceStore {
    /** Inserts a workspace; returns false when the name is taken. */
    boolean createWorkspace(Workspace workspace);

    Optional<Workspace> getWorkspace(String name);

    List<Workspace> listWorkspaces();

    /** Replaces description and merges tags (a null tag value removes the tag); false when missing. */
    boolean updateWorkspace(String name, Optional<String> description, Map<String, String> tags, long updateTime);

    boolean deleteWorkspace(String name);
}
