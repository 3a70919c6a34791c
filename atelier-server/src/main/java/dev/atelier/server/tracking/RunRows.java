package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

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
        Map<String, RunInfo> infos = new HashMap<>();
        handle.createQuery("SELECT workspace, " + INFO_COLUMNS + " FROM runs WHERE run_uuid IN (<ids>)")
                .bindList("ids", runIds)
                .map((rs, ctx) -> workspace.equals(rs.getString("workspace")) ? infos.put(rs.getString("run_uuid"), info(rs)) : null)
                .list();
        Map<String, List<Metric>> metrics = new HashMap<>();
        handle.createQuery("SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid IN (<ids>) ORDER BY key")
                .bindList("ids", runIds)
                .map((rs, ctx) -> metrics.computeIfAbsent(rs.getString("run_uuid"), k -> new ArrayList<>())
                        .add(new Metric(rs.getString("key"), metricValue(rs), rs.getLong("timestamp"), rs.getLong("step"))))
                .list();
        Map<String, List<KeyValue>> params = keyValues(handle, "params", runIds);
        Map<String, List<KeyValue>> tags = keyValues(handle, "tags", runIds);
        Map<String, List<DatasetInput>> inputs = inputs(handle, runIds);
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

    private static Map<String, List<KeyValue>> keyValues(Handle handle, String table, List<String> runIds) {
        Map<String, List<KeyValue>> values = new HashMap<>();
        handle.createQuery("SELECT run_uuid, key, value FROM " + table + " WHERE run_uuid IN (<ids>) ORDER BY key")
                .bindList("ids", runIds)
                .map((rs, ctx) -> values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new KeyValue(rs.getString(2), rs.getString(3))))
                .list();
        return values;
    }

    private static Map<String, List<DatasetInput>> inputs(Handle handle, List<String> runIds) {
        Map<String, Map<String, List<KeyValue>>> tags = new HashMap<>();
        handle.createQuery("SELECT run_uuid, dataset_uuid, key, value FROM run_input_tags WHERE run_uuid IN (<ids>) ORDER BY key")
                .bindList("ids", runIds)
                .map((rs, ctx) -> tags.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                        .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(new KeyValue(rs.getString(3), rs.getString(4))))
                .list();
        Map<String, List<DatasetInput>> inputs = new LinkedHashMap<>();
        handle.createQuery("""
                        SELECT i.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                        FROM run_inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
                        WHERE i.run_uuid IN (<ids>) ORDER BY d.name, d.digest
                        """)
                .bindList("ids", runIds)
                .map((rs, ctx) -> inputs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new DatasetInput(
                        tags.getOrDefault(rs.getString(1), Map.of()).getOrDefault(rs.getString(2), List.of()),
                        new Dataset(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))))
                .list();
        return inputs;
    }
}
