package dev.atelier.server.tracing;

import java.util.List;
import java.util.Map;

/**
 * The spans of traces kept in the database (V33), for traces whose spans arrive over OTLP. Each belongs to a stored
 * trace and goes with it. Implementations are thread-safe.
 */
public interface TraceSpanStore {
    /** Stores these spans of one stored trace; a span with the id of a stored one replaces it. */
    void put(String workspace, String requestId, List<OtlpSpan> spans);

    /** The spans of each of these traces that has some, each list by start time; traces without spans are left out. */
    Map<String, List<OtlpSpan>> spans(String workspace, List<String> requestIds);
}
