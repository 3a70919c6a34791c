package dev.atelier.server.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link DriftReportStore} on SQLite or PostgreSQL (table {@code endpoint_drift_reports}, V13). Thread-safe. */
public final class JdbcDriftReportStore implements DriftReportStore {
    private static final RowMapper<DriftReport> REPORT = (rs, ctx) -> {
        JsonNode stored = parse(rs.getString("features"));
        return new DriftReport(rs.getString("id"), rs.getString("endpoint"), rs.getString("reference"),
                Optional.ofNullable(rs.getString("deployment")), rs.getLong("period_from"), rs.getLong("period_to"),
                rs.getLong("reference_rows"), rs.getLong("current_rows"), rs.getInt("drift_detected") != 0,
                DriftJson.storedFeatures(stored), DriftJson.storedColumns(stored, "reference_only"),
                DriftJson.storedColumns(stored, "logged_only"), rs.getString("created_by"), rs.getLong("created_at"));
    };

    private final Database database;

    public JdbcDriftReportStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void insert(String workspace, DriftReport report) {
        database.writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO endpoint_drift_reports (workspace, endpoint, id, reference, deployment, period_from, period_to,
                                                            reference_rows, current_rows, drift_detected, features, created_by,
                                                            created_at)
                        VALUES (:workspace, :endpoint, :id, :reference, :deployment, :from, :to, :referenceRows, :currentRows,
                                :driftDetected, :features, :createdBy, :createdAt)
                        """)
                .bind("workspace", workspace).bind("endpoint", report.endpoint()).bind("id", report.id())
                .bind("reference", report.reference()).bind("deployment", report.deployment().orElse(null))
                .bind("from", report.from()).bind("to", report.to()).bind("referenceRows", report.referenceRows())
                .bind("currentRows", report.currentRows()).bind("driftDetected", report.driftDetected() ? 1 : 0)
                .bind("features", DriftJson.stored(report)).bind("createdBy", report.createdBy())
                .bind("createdAt", report.createdAt())
                .execute());
    }

    @Override
    public List<DriftReport> list(String workspace, String endpoint, int limit) {
        return database.read(handle -> handle.createQuery("""
                        SELECT * FROM endpoint_drift_reports WHERE workspace = :workspace AND endpoint = :endpoint
                        ORDER BY created_at DESC, id DESC LIMIT :limit
                        """)
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("limit", limit)
                .map(REPORT).list());
    }

    @Override
    public Optional<DriftReport> get(String workspace, String endpoint, String id) {
        return database.read(handle -> handle.createQuery("""
                        SELECT * FROM endpoint_drift_reports WHERE workspace = :workspace AND endpoint = :endpoint AND id = :id
                        """)
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("id", id)
                .map(REPORT).findOne());
    }

    @Override
    public void deleteEndpoint(String workspace, String endpoint) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM endpoint_drift_reports WHERE workspace = :workspace "
                + "AND endpoint = :endpoint").bind("workspace", workspace).bind("endpoint", endpoint).execute());
    }

    @Override
    public void deleteWorkspace(String workspace) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM endpoint_drift_reports WHERE workspace = :workspace")
                .bind("workspace", workspace).execute());
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored drift report features are not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
