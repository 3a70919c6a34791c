package dev.atelier.server.tracing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where trace assessments are kept, per workspace (V30). Implementations are thread-safe. */
public interface AssessmentStore {
    /**
     * Stores a new assessment; when it overrides another of the same trace, that one becomes not valid in the same
     * transaction. Returns false, writing nothing, when the overridden assessment does not exist.
     */
    boolean create(String workspace, Assessment assessment);

    Optional<Assessment> get(String workspace, String traceId, String assessmentId);

    /** The assessments of these traces, oldest first per trace; a trace without any is left out. */
    Map<String, List<Assessment>> forTraces(String workspace, List<String> traceIds);

    /** Replaces the name, kind, body and update time of a stored assessment; false when there is none. */
    boolean update(String workspace, Assessment assessment);

    /**
     * Deletes an assessment; the one it overrode becomes valid again. Returns false when there was none (nothing
     * changes: deleting is idempotent, as MLflow's is).
     */
    boolean delete(String workspace, String traceId, String assessmentId);
}
