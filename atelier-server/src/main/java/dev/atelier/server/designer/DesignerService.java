package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Designer drafts (docs/designer.md): created, read and listed by the workspace's readers, saved as a new version and
 * deleted by their owner only. A save names the version it starts from, so two tabs cannot overwrite each other
 * silently. Validation is the jobs API's own check of a pipeline. Thread-safe.
 */
public final class DesignerService {
    private static final int MAX_NAME = 255;

    private final DraftStore store;
    private final DesignerJobs jobs;
    private final Clock clock;

    DesignerService(DraftStore store, DesignerJobs jobs, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<DraftSummary> list(String workspace) {
        return store.list(workspace);
    }

    /** A new draft of {@code user} holding {@code document} as its version 1. */
    public Draft create(String workspace, String user, String name, ObjectNode document) {
        String id = UUID.randomUUID().toString();
        store.create(workspace, id, checkedName(name), user, DraftDocument.checked(document), clock.millis());
        return get(workspace, id, Optional.empty());
    }

    /** A new draft of an existing pipeline job, named after it. */
    public Draft createFromJob(String workspace, String user, String job) {
        ObjectNode pipeline = DraftDocument.fromJob(jobs.document(workspace, job));
        return create(workspace, user, job, DraftDocument.of(pipeline));
    }

    /** @throws AtelierException RESOURCE_DOES_NOT_EXIST for an unknown draft or version */
    public Draft get(String workspace, String id, Optional<Integer> version) {
        return store.get(workspace, id, version).orElseThrow(() -> AtelierException.notFound(version
                .map(v -> "Draft '" + id + "' has no version " + v).orElse("Draft '" + id + "' does not exist")));
    }

    /**
     * Saves {@code document} as the version after {@code baseVersion}.
     *
     * @throws AtelierException PERMISSION_DENIED for another user's draft; RESOURCE_CONFLICT when {@code baseVersion} is
     *                          not the newest version (it was saved elsewhere meanwhile)
     */
    public Draft save(String workspace, String user, String id, int baseVersion, Optional<String> name, ObjectNode document) {
        Draft current = owned(workspace, user, id);
        ObjectNode checked = DraftDocument.checked(document);
        if (!store.save(workspace, id, baseVersion, checkedName(name.orElse(current.name())), checked, clock.millis())) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Draft '" + id + "' is at version "
                    + get(workspace, id, Optional.empty()).latestVersion() + ", not " + baseVersion + ": it was saved elsewhere; reload it");
        }
        return get(workspace, id, Optional.empty());
    }

    /** @throws AtelierException PERMISSION_DENIED for another user's draft */
    public void delete(String workspace, String user, String id) {
        owned(workspace, user, id);
        store.delete(workspace, id);
    }

    /** Checks a draft's pipeline as the jobs API checks a submission; throws its error (naming {@code jobs.<step>...}). */
    public void validate(String workspace, String user, ObjectNode document) {
        jobs.validate(workspace, user, DraftDocument.pipeline(DraftDocument.checked(document)));
    }

    private Draft owned(String workspace, String user, String id) {
        Draft draft = get(workspace, id, Optional.empty());
        if (!draft.owner().equals(user)) {
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "Draft '" + id + "' belongs to " + draft.owner()
                    + ": open it as a copy (export and import) to change it");
        }
        return draft;
    }

    private static String checkedName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw AtelierException.invalidParameter("Invalid 'name': 1 to " + MAX_NAME + " characters");
        }
        return trimmed;
    }
}
