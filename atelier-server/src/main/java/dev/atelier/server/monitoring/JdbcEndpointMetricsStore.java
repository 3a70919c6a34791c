package dev.atelier.server.monitoring;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link EndpointMetricsStore} on SQLite or PostgreSQL (table {@code endpoint_metrics}, V13). Thread-safe. */
public final class JdbcEndpointMetricsStore implements EndpointMetricsStore {
    private static final RowMapper<MinuteMetrics> ROW = (rs, ctx) -> new MinuteMetrics(rs.getString("workspace"),
            rs.getString("endpoint"), rs.getString("deployment"), rs.getLong("minute_start"), rs.getLong("request_count"),
            rs.getLong("client_errors"), rs.getLong("server_errors"), rs.getLong("latency_sum_nanos"),
            LatencyHistogram.decode(rs.getString("latency_histogram")), rs.getLong("request_bytes_sum"),
            rs.getLong("request_bytes_max"), rs.getLong("response_bytes_sum"), rs.getLong("response_bytes_max"));

    private final Database database;
    private final java.time.Clock clock;

    public JdbcEndpointMetricsStore(Database database, java.time.Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void insert(List<MinuteMetrics> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long now = clock.millis();
        database.writeVoid(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO endpoint_metrics (workspace, endpoint, deployment, minute_start, request_count, client_errors,
                                                  server_errors, latency_sum_nanos, latency_histogram, request_bytes_sum,
                                                  request_bytes_max, response_bytes_sum, response_bytes_max, recorded_at)
                    VALUES (:workspace, :endpoint, :deployment, :minuteStart, :requests, :clientErrors, :serverErrors,
                            :latencySum, :histogram, :requestBytesSum, :requestBytesMax, :responseBytesSum, :responseBytesMax,
                            :recordedAt)
                    """);
            for (MinuteMetrics row : rows) {
                batch.bind("workspace", row.workspace()).bind("endpoint", row.endpoint()).bind("deployment", row.deployment())
                        .bind("minuteStart", row.minuteStart()).bind("requests", row.requests())
                        .bind("clientErrors", row.clientErrors()).bind("serverErrors", row.serverErrors())
                        .bind("latencySum", row.latencySumNanos()).bind("histogram", row.latency().encode())
                        .bind("requestBytesSum", row.requestBytesSum()).bind("requestBytesMax", row.requestBytesMax())
                        .bind("responseBytesSum", row.responseBytesSum()).bind("responseBytesMax", row.responseBytesMax())
                        .bind("recordedAt", now).add();
            }
            batch.execute();
        });
    }

    @Override
    public List<MinuteMetrics> list(String workspace, String endpoint, Optional<String> deployment, long fromMillis, long toMillis) {
        return database.read(handle -> handle.createQuery("""
                        SELECT * FROM endpoint_metrics
                        WHERE workspace = :workspace AND endpoint = :endpoint AND minute_start >= :from AND minute_start < :to
                          AND (:anyDeployment = 1 OR deployment = :deployment)
                        ORDER BY minute_start, deployment
                        """)
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("from", fromMillis).bind("to", toMillis)
                .bind("anyDeployment", deployment.isPresent() ? 0 : 1).bind("deployment", deployment.orElse(""))
                .map(ROW).list());
    }

    @Override
    public void deleteEndpoint(String workspace, String endpoint) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM endpoint_metrics WHERE workspace = :workspace "
                + "AND endpoint = :endpoint").bind("workspace", workspace).bind("endpoint", endpoint).execute());
    }

    @Override
    public void deleteWorkspace(String workspace) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM endpoint_metrics WHERE workspace = :workspace")
                .bind("workspace", workspace).execute());
    }

    @Override
    public long deleteBefore(long cutoffMillis) {
        return database.write(handle -> (long) handle.createUpdate("DELETE FROM endpoint_metrics WHERE minute_start < :cutoff")
                .bind("cutoff", cutoffMillis).execute());
    }
}
