package dev.atelier.server.monitoring;

import java.util.List;
import java.util.Optional;

/**
 * Minute rows of endpoint metrics. Rows are partial: several rows of one (endpoint, deployment,
 * minute) add up (several server replicas, late requests). Implementations are thread-safe.
 */
public interface EndpointMetricsStore {
    /** Writes the rows in one transaction. */
    void insert(List<MinuteMetrics> rows);

    /**
     * The rows of an endpoint (of one deployment when given) whose minute starts in
     * {@code [fromMillis, toMillis)}, ordered by minute.
     */
    List<MinuteMetrics> list(String workspace, String endpoint, Optional<String> deployment, long fromMillis, long toMillis);

    /** Deletes every row of an endpoint. */
    void deleteEndpoint(String workspace, String endpoint);

    /** Deletes the rows of minutes that started before {@code cutoffMillis} (retention); returns how many. */
    long deleteBefore(long cutoffMillis);

    /** Deletes every row of a workspace. */
    void deleteWorkspace(String workspace);
}
