package dev.atelier.server.tracing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link TraceSpanStore} on SQLite or PostgreSQL (table trace_spans of V33). Thread-safe. */
public final class JdbcTraceSpanStore implements TraceSpanStore {
    private final Database database;

    public JdbcTraceSpanStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void put(String workspace, String requestId, List<OtlpSpan> spans) {
        database.writeVoid(handle -> {
            for (OtlpSpan span : spans) {
                handle.createUpdate("""
                                INSERT INTO trace_spans (workspace, request_id, span_id, parent_span_id, name, start_time_unix_nano,
                                    end_time_unix_nano, status, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                                ON CONFLICT (workspace, request_id, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id,
                                    name = excluded.name, start_time_unix_nano = excluded.start_time_unix_nano,
                                    end_time_unix_nano = excluded.end_time_unix_nano, status = excluded.status,
                                    content = excluded.content""")
                        .bind(0, workspace).bind(1, requestId).bind(2, span.spanId()).bind(3, span.parentSpanId().orElse(null))
                        .bind(4, span.name()).bind(5, span.startNanos()).bind(6, span.endNanos()).bind(7, span.status())
                        .bind(8, span.content().toString()).execute();
            }
        });
    }

    @Override
    public Map<String, List<OtlpSpan>> spans(String workspace, List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Map.of();
        }
        Object[] parameters = new Object[requestIds.size() + 1];
        parameters[0] = workspace;
        for (int i = 0; i < requestIds.size(); i++) {
            parameters[i + 1] = requestIds.get(i);
        }
        String marks = String.join(", ", Collections.nCopies(requestIds.size(), "?"));
        Map<String, List<OtlpSpan>> byTrace = new LinkedHashMap<>();
        database.read(handle -> handle.select("""
                        SELECT request_id, span_id, parent_span_id, name, start_time_unix_nano, end_time_unix_nano, status, content
                        FROM trace_spans WHERE workspace = ? AND request_id IN (""" + marks + ")"
                        + " ORDER BY request_id, start_time_unix_nano, span_id", parameters)
                .map((rs, ctx) -> new OtlpSpan(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getString(7), content(rs.getString(8))))
                .list())
                .forEach(span -> byTrace.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span));
        return byTrace;
    }

    private static ObjectNode content(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
