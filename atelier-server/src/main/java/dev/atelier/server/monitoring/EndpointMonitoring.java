package dev.atelier.server.monitoring;

import dev.atelier.server.data.DataLineage;
import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.data.DatastoreService;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.serving.ScoringObserver;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.WorkspaceParticipant;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Wires endpoint monitoring for {@code AtelierServer} (docs/endpoints-monitoring.md): request metrics
 * ({@link #monitor()}) and request logging ({@link #requestLog()}), both fed by {@link #observer()},
 * which the scoring router calls for every answered request, and drift reports, whose routes
 * {@link #routes} builds once the endpoint service that tells which endpoints exist is there.
 * Closing it writes what is still in memory: close it after the router stopped and before the
 * database closes. Forgets a deleted workspace's metrics and reports. Thread-safe.
 */
public final class EndpointMonitoring implements AutoCloseable, WorkspaceParticipant {
    /** How often finished minutes of metrics are written. */
    public static final Duration METRICS_FLUSH_INTERVAL = Duration.ofSeconds(10);
    /** How often logged requests are written as a new version of their endpoint's request table. */
    public static final Duration REQUEST_LOG_FLUSH_INTERVAL = Duration.ofMinutes(1);

    private final EndpointMonitor monitor;
    private final EndpointRequestLog requestLog;
    private final DriftReportStore reports;
    private final DataService data;
    private final Clock clock;

    private EndpointMonitoring(EndpointMonitor monitor, EndpointRequestLog requestLog, DriftReportStore reports, DataService data,
                               Clock clock) {
        this.monitor = monitor;
        this.requestLog = requestLog;
        this.reports = reports;
        this.data = data;
        this.clock = clock;
    }

    /** Starts the background writers. */
    public static EndpointMonitoring start(Database database, MeterRegistry meters, DataService data, DatastoreService datastores,
                                           Clock clock) {
        return start(database, meters, data, datastores, clock, METRICS_FLUSH_INTERVAL, REQUEST_LOG_FLUSH_INTERVAL);
    }

    /** As {@link #start(Database, MeterRegistry, DataService, DatastoreService, Clock)}, with chosen intervals (zero: no background writer). */
    public static EndpointMonitoring start(Database database, MeterRegistry meters, DataService data, DatastoreService datastores,
                                           Clock clock, Duration metricsFlush, Duration requestLogFlush) {
        requireNonNull(data, "data is null");
        requireNonNull(clock, "clock is null");
        EndpointMonitor monitor = new EndpointMonitor(new JdbcEndpointMetricsStore(database, clock), meters, clock, metricsFlush);
        EndpointRequestLog requestLog = new EndpointRequestLog(data, datastores, meters, requestLogFlush);
        return new EndpointMonitoring(monitor, requestLog, new JdbcDriftReportStore(database), data, clock);
    }

    public EndpointMonitor monitor() {
        return monitor;
    }

    public EndpointRequestLog requestLog() {
        return requestLog;
    }

    /** What the scoring router calls for every answered request. */
    public ScoringObserver observer() {
        return new EndpointScoringObserver(monitor, requestLog);
    }

    /** Drift reports of the endpoints {@code endpoints} knows. */
    public DriftService drift(EndpointLookup endpoints) {
        return new DriftService(reports, data, endpoints, clock);
    }

    /** The metrics and drift report routes; {@code endpoints} tells which endpoints exist (404 for the others). */
    public List<RouteTable> routes(EndpointLookup endpoints) {
        return List.of(new EndpointMetricsRoutes(monitor, endpoints, clock), new EndpointDriftRoutes(drift(endpoints)));
    }
    /** Deletes the metric rows of minutes before {@code cutoffMillis} (retention, docs/operations.md); returns how many. */
    public long deleteMetricsBefore(long cutoffMillis) {
        return monitor.deleteBefore(cutoffMillis);
    }

    /**
     * Deletes the request-log versions ({@link EndpointRequestLog}) of {@code workspace} whose last request came before
     * {@code cutoffMillis}, with their files (retention, docs/operations.md); returns how many.
     */
    public long deleteRequestLogsBefore(String workspace, long cutoffMillis, DataLineage lineage) {
        long deleted = 0;
        List<DataVersion> versions = data.list(workspace, true).stream()
                .filter(latest -> latest.name().endsWith(EndpointRequestLog.ASSET_SUFFIX))
                .flatMap(latest -> data.versions(workspace, latest.name(), true).stream()).toList();
        for (DataVersion version : versions) {
            String last = version.tags().get(EndpointRequestLog.TAG_LAST);
            String endpoint = version.tags().get(EndpointRequestLog.TAG_ENDPOINT);
            if (endpoint != null && last != null && version.name().equals(EndpointRequestLog.assetName(endpoint))
                    && parse(last) < cutoffMillis) {
                data.delete(workspace, version.name(), Integer.toString(version.version()), true, lineage);
                deleted++;
            }
        }
        return deleted;
    }

    private static long parse(String millis) {
        try {
            return Long.parseLong(millis);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;  // not written by the request log: kept
        }
    }

    /**
     * Forgets a deleted endpoint's metrics (rows, minutes in memory, meters) and drift reports. Its
     * logged requests stay: they are data assets of the workspace.
     */
    public void endpointDeleted(String workspace, String endpoint) {
        monitor.forgetEndpoint(workspace, endpoint);
        reports.deleteEndpoint(workspace, endpoint);
    }

    @Override
    public void workspaceCreated(String workspace) {
        // Nothing to prepare: series and reports appear with the first request and report.
    }

    /** Metrics and reports describe endpoints, which the serving domain holds; they never keep a workspace alive. */
    @Override
    public boolean holdsData(String workspace) {
        return false;
    }

    @Override
    public void workspaceDeleted(String workspace) {
        monitor.forgetWorkspace(workspace);
        reports.deleteWorkspace(workspace);
    }

    /** Writes the buffered requests and the metrics still in memory. */
    @Override
    public void close() {
        try {
            requestLog.close();
        } finally {
            monitor.close();
        }
    }
}
