package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads whole runs (info, latest metrics, params, tags, inputs) for a list of ids with one query per
 * table, so a search page of 100 runs costs five queries, not five hundred.
 */
final class RunRows {
    static final String INFO_COLUMNS = "run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage";

    private RunRows() {
    }

    static RunInfo info(ResultSet rs) throws SQLException {
        String runId = rs.getString("run_uuid");
        return new RunInfo(runId, Long.toString(rs.getLong("experiment_id")), rs.getString("name"), rs.getString("user_id"),
                RunStatus.valueOf(rs.getString("status")), nullableLong(rs, "start_time"), nullableLong(rs, "end_time"),
                rs.getString("artifact_uri"), rs.getString("lifecycle_stage"), runId);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static double metricValue(ResultSet rs) throws SQLException {
        return rs.getInt("is_nan") != 0 ? Double.NaN : rs.getDouble("value");
    }

    /** Loads the runs of {@code runIds} in the workspace, in the order given. */
    static List<Run> load(Handle handle, String workspace, List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        // By primary key only, the workspace checked on each row: with "workspace = ? AND run_uuid IN (...)"
        // SQLite's planner (no statistics) walks the workspace's whole runs_by_experiment index
        // instead of doing 100 key lookups, ~40 ms per search page at 100,000 runs.
        // Plain JDBC: for a page of 100 runs Jdbi's list binding and row mapping cost more CPU than the queries.
        Connection connection = handle.getConnection();
        String in = placeholders(runIds.size());
        Map<String, RunInfo> infos = new HashMap<>();
        query(connection, "SELECT workspace, " + INFO_COLUMNS + " FROM runs WHERE run_uuid IN (" + in + ")", runIds, rs -> {
            if (workspace.equals(rs.getString(1))) {
                String runId = rs.getString(2);
                long startTime = rs.getLong(7);
                Long start = rs.wasNull() ? null : startTime;
                long endTime = rs.getLong(8);
                Long end = rs.wasNull() ? null : endTime;
                infos.put(runId, new RunInfo(runId, Long.toString(rs.getLong(3)), rs.getString(4), rs.getString(5),
                        RunStatus.valueOf(rs.getString(6)), start, end, rs.getString(9), rs.getString(10), runId));
            }
        });
        Map<String, List<Metric>> metrics = new HashMap<>();
        query(connection, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid IN (" + in
                + ") ORDER BY key", runIds, rs -> metrics.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                .add(new Metric(rs.getString(2), rs.getInt(4) != 0 ? Double.NaN : rs.getDouble(3), rs.getLong(5), rs.getLong(6))));
        Map<String, List<KeyValue>> params = keyValues(connection, "params", in, runIds);
        Map<String, List<KeyValue>> tags = keyValues(connection, "tags", in, runIds);
        Map<String, List<DatasetInput>> inputs = inputs(connection, in, runIds);
        List<Run> runs = new ArrayList<>(runIds.size());
        for (String runId : runIds) {
            RunInfo info = infos.get(runId);
            if (info != null) {
                runs.add(new Run(info,
                        new RunData(metrics.getOrDefault(runId, List.of()), params.getOrDefault(runId, List.of()), tags.getOrDefault(runId, List.of())),
                        new RunInputs(inputs.getOrDefault(runId, List.of()))));
            }
        }
        return runs;
    }

    private static Map<String, List<KeyValue>> keyValues(Connection connection, String table, String in, List<String> runIds) {
        Map<String, List<KeyValue>> values = new HashMap<>();
        query(connection, "SELECT run_uuid, key, value FROM " + table + " WHERE run_uuid IN (" + in + ") ORDER BY key", runIds,
                rs -> values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new KeyValue(rs.getString(2), rs.getString(3))));
        return values;
    }

    private static Map<String, List<DatasetInput>> inputs(Connection connection, String in, List<String> runIds) {
        Map<String, Map<String, List<KeyValue>>> tags = new HashMap<>();
        query(connection, "SELECT run_uuid, dataset_uuid, key, value FROM run_input_tags WHERE run_uuid IN (" + in + ") ORDER BY key",
                runIds, rs -> tags.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                        .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(new KeyValue(rs.getString(3), rs.getString(4))));
        Map<String, List<DatasetInput>> inputs = new LinkedHashMap<>();
        query(connection, """
                        SELECT i.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                        FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
                        WHERE i.run_uuid IN (""" + in + ") ORDER BY d.name, d.digest",
                runIds, rs -> inputs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new DatasetInput(
                        tags.getOrDefault(rs.getString(1), Map.of()).getOrDefault(rs.getString(2), List.of()),
                        new Dataset(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))));
        return inputs;
    }

    /** "?, ?, ?" for {@code count} parameters. */
    static String placeholders(int count) {
        StringBuilder text = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "?" : ", ?");
        }
        return text.toString();
    }

    /** Runs {@code sql} with {@code parameters} bound in order and hands each row to {@code row}. */
    static void query(Connection connection, String sql, List<?> parameters, Row row) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read runs: " + e.getMessage(), e);
        }
    }

    /** One row of a result. */
    @FunctionalInterface
    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }
}
