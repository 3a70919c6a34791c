package dev.atelier.server.monitoring;

import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DatastoreService;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.WorkspaceParticipant;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Wires endpoint monitoring for {@code AtelierServer} (docs/endpoints-monitoring.md): request metrics
 * ({@link #monitor()}, which the endpoint router calls for every scoring request), request logging
 * ({@link #requestLog()}, called for requests of deployments whose data collector is on) and drift
 * reports ({@link #drift()}), with their routes. Closing it writes what is still in memory: close it
 * after HTTP stopped and before the database closes. Forgets a deleted workspace's metrics and reports.
 */
public record EndpointMonitoring(EndpointMonitor monitor, EndpointRequestLog requestLog, DriftService drift,
                                 EndpointLookup endpoints, Clock clock, DriftReportStore reports)
        implements AutoCloseable, WorkspaceParticipant {
    /** How often finished minutes of metrics are written. */
    public static final Duration METRICS_FLUSH_INTERVAL = Duration.ofSeconds(10);
    /** How often logged requests are written as a new version of their endpoint's request table. */
    public static final Duration REQUEST_LOG_FLUSH_INTERVAL = Duration.ofMinutes(1);

    public EndpointMonitoring {
        requireNonNull(monitor, "monitor is null");
        requireNonNull(requestLog, "requestLog is null");
        requireNonNull(drift, "drift is null");
        requireNonNull(endpoints, "endpoints is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(reports, "reports is null");
    }

    /**
     * Starts the background writers.
     *
     * @param endpoints tells whether an endpoint exists (the serving domain's endpoint service)
     */
    public static EndpointMonitoring start(Database database, MeterRegistry meters, DataService data, DatastoreService datastores,
                                           EndpointLookup endpoints, Clock clock) {
        return start(database, meters, data, datastores, endpoints, clock, METRICS_FLUSH_INTERVAL, REQUEST_LOG_FLUSH_INTERVAL);
    }

    /** As {@link #start(Database, MeterRegistry, DataService, DatastoreService, EndpointLookup, Clock)}, with chosen intervals (zero: no background writer). */
    public static EndpointMonitoring start(Database database, MeterRegistry meters, DataService data, DatastoreService datastores,
                                           EndpointLookup endpoints, Clock clock, Duration metricsFlush, Duration requestLogFlush) {
        DriftReportStore reports = new JdbcDriftReportStore(database);
        EndpointMonitor monitor = new EndpointMonitor(new JdbcEndpointMetricsStore(database, clock), meters, clock, metricsFlush);
        EndpointRequestLog requestLog = new EndpointRequestLog(data, datastores, meters, requestLogFlush);
        return new EndpointMonitoring(monitor, requestLog, new DriftService(reports, data, endpoints, clock), endpoints, clock,
                reports);
    }

    public List<RouteTable> routes() {
        return List.of(new EndpointMetricsRoutes(monitor, endpoints, clock), new EndpointDriftRoutes(drift));
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
