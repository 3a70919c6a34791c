package dev.atelier.server.tracing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link AssessmentStore} on SQLite or PostgreSQL (V30: {@code trace_assessments}). Thread-safe. */
public final class JdbcAssessmentStore implements AssessmentStore {
    private static final String COLUMNS = "assessment_id, request_id, name, kind, body, create_time_ms, last_update_time_ms, "
            + "overrides, valid";

    private final Database database;

    public JdbcAssessmentStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean create(String workspace, Assessment assessment) {
        return database.write(handle -> {
            if (assessment.overrides().isPresent()) {
                int invalidated = handle.createUpdate("UPDATE trace_assessments SET valid = 0 "
                                + "WHERE workspace = ? AND request_id = ? AND assessment_id = ?")
                        .bind(0, workspace).bind(1, assessment.traceId()).bind(2, assessment.overrides().get()).execute();
                if (invalidated == 0) {
                    return false;
                }
            }
            handle.createUpdate("INSERT INTO trace_assessments (workspace, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, workspace).bind(1, assessment.assessmentId()).bind(2, assessment.traceId()).bind(3, assessment.name())
                    .bind(4, assessment.kind().name()).bind(5, text(assessment.body())).bind(6, assessment.createTimeMs())
                    .bind(7, assessment.lastUpdateTimeMs()).bind(8, assessment.overrides().orElse(null))
                    .bind(9, assessment.valid() ? 1 : 0).execute();
            return true;
        });
    }

    @Override
    public Optional<Assessment> get(String workspace, String traceId, String assessmentId) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM trace_assessments "
                        + "WHERE workspace = ? AND request_id = ? AND assessment_id = ?")
                .bind(0, workspace).bind(1, traceId).bind(2, assessmentId)
                .map((rs, ctx) -> assessment(rs)).findOne());
    }

    @Override
    public Map<String, List<Assessment>> forTraces(String workspace, List<String> traceIds) {
        if (traceIds.isEmpty()) {
            return Map.of();
        }
        Object[] parameters = new Object[traceIds.size() + 1];
        parameters[0] = workspace;
        for (int i = 0; i < traceIds.size(); i++) {
            parameters[i + 1] = traceIds.get(i);
        }
        String marks = String.join(", ", Collections.nCopies(traceIds.size(), "?"));
        Map<String, List<Assessment>> byTrace = new LinkedHashMap<>();
        database.read(handle -> handle.select("SELECT " + COLUMNS + " FROM trace_assessments WHERE workspace = ? AND request_id IN ("
                        + marks + ") ORDER BY request_id, create_time_ms, assessment_id", parameters)
                .map((rs, ctx) -> assessment(rs)).list())
                .forEach(assessment -> byTrace.computeIfAbsent(assessment.traceId(), id -> new java.util.ArrayList<>()).add(assessment));
        return byTrace;
    }

    @Override
    public boolean update(String workspace, Assessment assessment) {
        return database.write(handle -> handle.createUpdate("UPDATE trace_assessments SET name = ?, kind = ?, body = ?, "
                        + "last_update_time_ms = ? WHERE workspace = ? AND request_id = ? AND assessment_id = ?")
                .bind(0, assessment.name()).bind(1, assessment.kind().name()).bind(2, text(assessment.body()))
                .bind(3, assessment.lastUpdateTimeMs()).bind(4, workspace).bind(5, assessment.traceId())
                .bind(6, assessment.assessmentId()).execute() > 0);
    }

    @Override
    public boolean delete(String workspace, String traceId, String assessmentId) {
        return database.write(handle -> {
            Optional<String> overrides = handle.createQuery("SELECT overrides FROM trace_assessments "
                            + "WHERE workspace = ? AND request_id = ? AND assessment_id = ?")
                    .bind(0, workspace).bind(1, traceId).bind(2, assessmentId)
                    .map((rs, ctx) -> Optional.ofNullable(rs.getString(1))).findOne().orElse(null);
            if (overrides == null) {
                return false;
            }
            handle.createUpdate("DELETE FROM trace_assessments WHERE workspace = ? AND request_id = ? AND assessment_id = ?")
                    .bind(0, workspace).bind(1, traceId).bind(2, assessmentId).execute();
            overrides.ifPresent(restored -> restore(handle, workspace, traceId, restored));
            return true;
        });
    }

    private static void restore(Handle handle, String workspace, String traceId, String assessmentId) {
        handle.createUpdate("UPDATE trace_assessments SET valid = 1 WHERE workspace = ? AND request_id = ? AND assessment_id = ?")
                .bind(0, workspace).bind(1, traceId).bind(2, assessmentId).execute();
    }

    private static Assessment assessment(ResultSet rs) throws SQLException {
        return new Assessment(rs.getString(1), rs.getString(2), rs.getString(3), Assessment.Kind.valueOf(rs.getString(4)),
                body(rs.getString(5)), rs.getLong(6), rs.getLong(7), Optional.ofNullable(rs.getString(8)), rs.getInt(9) != 0);
    }

    private static String text(ObjectNode body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode body(String text) {
        try {
            return (ObjectNode) Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
