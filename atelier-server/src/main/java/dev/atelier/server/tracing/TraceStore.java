package dev.atelier.server.tracing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where trace infos are kept, per workspace. Implementations are thread-safe. */
public interface TraceStore {
    /**
     * Stores a new trace, or replaces the one with its request id (its tags and metadata too; its assessments and run
     * links stay).
     */
    void put(String workspace, TraceInfo trace);

    Optional<TraceInfo> get(String workspace, String requestId);

    /** The traces with these ids, in the order given; missing ones are left out. */
    List<TraceInfo> getAll(String workspace, List<String> requestIds);

    /**
     * Ends a trace: sets its execution time and status and merges {@code metadata} and {@code tags} into its own
     * (a given key replaces the stored value). Returns false when there is no such trace.
     */
    boolean end(String workspace, String requestId, long executionTimeMs, TraceStatus status, Map<String, String> metadata,
                Map<String, String> tags);

    /** Sets one tag; false when there is no such trace. */
    boolean setTag(String workspace, String requestId, String key, String value);

    /** Deletes one tag; false when the trace has no such tag. */
    boolean deleteTag(String workspace, String requestId, String key);

    /** The request ids {@link TraceSearch} selects, in its order. */
    List<String> search(String workspace, List<Long> experimentIds, String filter, List<String> orderBy, int limit, int offset);

    /** Deletes these traces of the experiment; returns the ones deleted. */
    List<TraceInfo> delete(String workspace, long experimentId, List<String> requestIds);

    /** Deletes the experiment's oldest traces that started at or before {@code maxTimestampMs}, at most {@code maxTraces}. */
    List<TraceInfo> deleteOlderThan(String workspace, long experimentId, long maxTimestampMs, int maxTraces);

    /**
     * Links these traces to run {@code runId} (MLflow 3's LinkTracesToRun); a link made again is kept once. The run and
     * the traces must exist.
     */
    void linkToRun(String workspace, String runId, List<String> requestIds);

}
