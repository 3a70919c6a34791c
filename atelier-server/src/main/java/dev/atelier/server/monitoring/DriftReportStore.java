package dev.atelier.server.monitoring;

import java.util.List;
import java.util.Optional;

/** Stored drift reports of endpoints. Implementations are thread-safe. */
public interface DriftReportStore {
    void insert(String workspace, DriftReport report);

    /** An endpoint's reports, newest first, at most {@code limit}. */
    List<DriftReport> list(String workspace, String endpoint, int limit);

    Optional<DriftReport> get(String workspace, String endpoint, String id);

    void deleteEndpoint(String workspace, String endpoint);

    void deleteWorkspace(String workspace);
}
