package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/** Where designer drafts and every version of them are kept. Implementations are thread-safe. */
interface DraftStore {
    /** Stores a new draft with its first version (1). */
    void create(String workspace, String id, String name, String owner, ObjectNode document, long now);

    /** The draft at {@code version}, or its newest version when empty; empty when either does not exist. */
    Optional<Draft> get(String workspace, String id, Optional<Integer> version);

    /** The workspace's drafts, the last saved first. */
    List<DraftSummary> list(String workspace);

    /**
     * Stores version {@code baseVersion + 1} with {@code document} (and {@code name}) when the draft's newest version is
     * {@code baseVersion}; false otherwise (another save came first, or the draft is gone).
     */
    boolean save(String workspace, String id, int baseVersion, String name, ObjectNode document, long now);

    /** Deletes a draft and its versions; false when there was none. */
    boolean delete(String workspace, String id);
}
