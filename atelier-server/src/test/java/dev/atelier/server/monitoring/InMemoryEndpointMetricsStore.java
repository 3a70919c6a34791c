package dev.atelier.server.monitoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A hand-written {@link EndpointMetricsStore} fake that keeps rows in a list and can be told to fail. */
final class InMemoryEndpointMetricsStore implements EndpointMetricsStore {
    final List<MinuteMetrics> rows = new ArrayList<>();
    boolean failing;

    @Override
    public synchronized void insert(List<MinuteMetrics> newRows) {
        if (failing) {
            throw new IllegalStateException("database unavailable");
        }
        rows.addAll(newRows);
    }

    @Override
    public synchronized List<MinuteMetrics> list(String workspace, String endpoint, Optional<String> deployment, long fromMillis,
                                                 long toMillis) {
        return rows.stream().filter(row -> row.workspace().equals(workspace) && row.endpoint().equals(endpoint)
                        && deployment.map(row.deployment()::equals).orElse(true)
                        && row.minuteStart() >= fromMillis && row.minuteStart() < toMillis)
                .sorted(Comparator.comparingLong(MinuteMetrics::minuteStart)).toList();
    }

    @Override
    public synchronized void deleteEndpoint(String workspace, String endpoint) {
        rows.removeIf(row -> row.workspace().equals(workspace) && row.endpoint().equals(endpoint));
    }

    @Override
    public synchronized void deleteWorkspace(String workspace) {
        rows.removeIf(row -> row.workspace().equals(workspace));
    }

    @Override
    public synchronized long deleteBefore(long cutoffMillis) {
        int before = rows.size();
        rows.removeIf(row -> row.minuteStart() < cutoffMillis);
        return before - rows.size();
    }

    synchronized List<MinuteMetrics> snapshot() {
        return new ArrayList<>(rows);
    }
}
