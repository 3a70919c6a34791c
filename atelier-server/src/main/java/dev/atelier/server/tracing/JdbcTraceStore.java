package dev.atelier.server.tracing;

import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.SqlQuery;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link TraceStore} on SQLite or PostgreSQL (V22). Thread-safe. */
public final class JdbcTraceStore implements TraceStore {
    private static final String COLUMNS = "request_id, experiment_id, timestamp_ms, execution_time_ms, status, client_request_id, "
            + "request_preview, response_preview";

    private final Database database;

    public JdbcTraceStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void put(String workspace, TraceInfo trace) {
        database.writeVoid(handle -> {
            // An upsert, not a delete and insert: the trace's assessments and run links (V30) stay.
            handle.createUpdate("DELETE FROM trace_tags WHERE workspace = ? AND request_id = ?")
                    .bind(0, workspace).bind(1, trace.requestId()).execute();
            handle.createUpdate("DELETE FROM trace_request_metadata WHERE workspace = ? AND request_id = ?")
                    .bind(0, workspace).bind(1, trace.requestId()).execute();
            handle.createUpdate("INSERT INTO traces (workspace, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (workspace, request_id) DO UPDATE SET experiment_id = excluded.experiment_id,"
                            + " timestamp_ms = excluded.timestamp_ms, execution_time_ms = excluded.execution_time_ms,"
                            + " status = excluded.status, client_request_id = excluded.client_request_id,"
                            + " request_preview = excluded.request_preview, response_preview = excluded.response_preview")
                    .bind(0, workspace).bind(1, trace.requestId()).bind(2, Long.parseLong(trace.experimentId()))
                    .bind(3, trace.timestampMs()).bind(4, trace.executionTimeMs()).bind(5, trace.status().name())
                    .bind(6, trace.clientRequestId().orElse(null)).bind(7, trace.requestPreview().orElse(null))
                    .bind(8, trace.responsePreview().orElse(null)).execute();
            upsert(handle, "trace_request_metadata", workspace, trace.requestId(), trace.requestMetadata());
            upsert(handle, "trace_tags", workspace, trace.requestId(), trace.tags());
        });
    }

    @Override
    public Optional<TraceInfo> get(String workspace, String requestId) {
        return getAll(workspace, List.of(requestId)).stream().findFirst();
    }

    @Override
    public List<TraceInfo> getAll(String workspace, List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return List.of();
        }
        return database.read(handle -> read(handle, workspace, requestIds));
    }

    @Override
    public boolean end(String workspace, String requestId, long executionTimeMs, TraceStatus status, Map<String, String> metadata,
                       Map<String, String> tags) {
        return database.write(handle -> {
            int updated = handle.createUpdate("UPDATE traces SET execution_time_ms = ?, status = ? WHERE workspace = ? AND request_id = ?")
                    .bind(0, executionTimeMs).bind(1, status.name()).bind(2, workspace).bind(3, requestId).execute();
            if (updated == 0) {
                return false;
            }
            upsert(handle, "trace_request_metadata", workspace, requestId, metadata);
            upsert(handle, "trace_tags", workspace, requestId, tags);
            return true;
        });
    }

    @Override
    public boolean setTag(String workspace, String requestId, String key, String value) {
        return database.write(handle -> {
            boolean exists = handle.createQuery("SELECT COUNT(*) FROM traces WHERE workspace = ? AND request_id = ?")
                    .bind(0, workspace).bind(1, requestId).mapTo(Integer.class).one() > 0;
            if (exists) {
                upsert(handle, "trace_tags", workspace, requestId, Map.of(key, value));
            }
            return exists;
        });
    }

    @Override
    public boolean deleteTag(String workspace, String requestId, String key) {
        return database.write(handle -> handle.createUpdate("DELETE FROM trace_tags WHERE workspace = ? AND request_id = ? AND key = ?")
                .bind(0, workspace).bind(1, requestId).bind(2, key).execute() > 0);
    }

    @Override
    public List<String> search(String workspace, List<Long> experimentIds, String filter, List<String> orderBy, int limit, int offset) {
        SqlQuery query = TraceSearch.build(database.dialect(), workspace, experimentIds, filter, orderBy, limit, offset);
        return database.read(handle -> handle.select(query.sql(), query.parameterArray()).mapTo(String.class).list());
    }

    @Override
    public List<TraceInfo> delete(String workspace, long experimentId, List<String> requestIds) {
        return database.write(handle -> {
            List<TraceInfo> found = read(handle, workspace, requestIds).stream()
                    .filter(trace -> trace.experimentId().equals(Long.toString(experimentId))).toList();
            deleteRows(handle, workspace, found);
            return found;
        });
    }

    @Override
    public List<TraceInfo> deleteOlderThan(String workspace, long experimentId, long maxTimestampMs, int maxTraces) {
        return database.write(handle -> {
            List<String> ids = handle.createQuery("""
                            SELECT request_id FROM traces WHERE workspace = ? AND experiment_id = ? AND timestamp_ms <= ?
                            ORDER BY timestamp_ms, request_id LIMIT ?""")
                    .bind(0, workspace).bind(1, experimentId).bind(2, maxTimestampMs).bind(3, maxTraces)
                    .mapTo(String.class).list();
            List<TraceInfo> found = read(handle, workspace, ids);
            deleteRows(handle, workspace, found);
            return found;
        });
    }

    @Override
    public void linkToRun(String workspace, String runId, List<String> requestIds) {
        database.writeVoid(handle -> {
            for (String requestId : requestIds) {
                handle.createUpdate("INSERT INTO trace_run_links (workspace, request_id, run_uuid) VALUES (?, ?, ?)"
                                + " ON CONFLICT (workspace, request_id, run_uuid) DO NOTHING")
                        .bind(0, workspace).bind(1, requestId).bind(2, runId).execute();
            }
        });
    }

    private static void deleteRows(Handle handle, String workspace, List<TraceInfo> traces) {
        for (TraceInfo trace : traces) {
            handle.createUpdate("DELETE FROM traces WHERE workspace = ? AND request_id = ?")
                    .bind(0, workspace).bind(1, trace.requestId()).execute();
        }
    }

    private static List<TraceInfo> read(Handle handle, String workspace, List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(requestIds.size(), "?"));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String id : requestIds) {
            rows.put(id, null);
        }
        Object[] parameters = new Object[requestIds.size() + 1];
        parameters[0] = workspace;
        for (int i = 0; i < requestIds.size(); i++) {
            parameters[i + 1] = requestIds.get(i);
        }
        handle.select("SELECT " + COLUMNS + " FROM traces WHERE workspace = ? AND request_id IN (" + marks + ")", parameters)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8)))
                .forEach(row -> rows.put(row.requestId(), row));
        Map<String, Map<String, String>> metadata = keyValues(handle, "trace_request_metadata", marks, parameters);
        Map<String, Map<String, String>> tags = keyValues(handle, "trace_tags", marks, parameters);
        List<TraceInfo> traces = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row != null) {
                traces.add(new TraceInfo(row.requestId(), Long.toString(row.experimentId()), row.timestampMs(), row.executionTimeMs(),
                        TraceStatus.valueOf(row.status()), Optional.ofNullable(row.clientRequestId()),
                        Optional.ofNullable(row.requestPreview()), Optional.ofNullable(row.responsePreview()),
                        metadata.getOrDefault(row.requestId(), Map.of()), tags.getOrDefault(row.requestId(), Map.of())));
            }
        }
        return traces;
    }

    private static Map<String, Map<String, String>> keyValues(Handle handle, String table, String marks, Object[] parameters) {
        Map<String, Map<String, String>> byTrace = new LinkedHashMap<>();
        handle.select("SELECT request_id, key, value FROM " + table + " WHERE workspace = ? AND request_id IN (" + marks + ")"
                        + " ORDER BY request_id, key", parameters)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .forEach(row -> byTrace.computeIfAbsent(row[0], id -> new LinkedHashMap<>()).put(row[1], row[2]));
        return byTrace;
    }

    /** Inserts or replaces key/value pairs; the same statement on both databases (ON CONFLICT ... DO UPDATE). */
    private static void upsert(Handle handle, String table, String workspace, String requestId, Map<String, String> values) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            handle.createUpdate("INSERT INTO " + table + " (workspace, request_id, key, value) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (workspace, request_id, key) DO UPDATE SET value = excluded.value")
                    .bind(0, workspace).bind(1, requestId).bind(2, entry.getKey()).bind(3, entry.getValue()).execute();
        }
    }

    private record Row(String requestId, long experimentId, long timestampMs, long executionTimeMs, String status,
                       String clientRequestId, String requestPreview, String responsePreview) {
    }
}
