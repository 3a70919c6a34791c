package dev.atelier.server.loggedmodels;

import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.ModelMetric;
import dev.atelier.server.tracking.search.SqlQuery;
import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link LoggedModelStore} on SQLite or PostgreSQL (V22). Thread-safe. */
public final class JdbcLoggedModelStore implements LoggedModelStore {
    private static final int OUTPUTS_CHUNK = 500;
    private static final String ACTIVE = "workspace = ? AND model_id = ? AND lifecycle_stage = 'active'";

    private final Database database;

    public JdbcLoggedModelStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void create(String workspace, LoggedModel model) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            INSERT INTO logged_models (workspace, model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                                                       last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id,
                                                       status_message)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)""")
                    .bind(0, workspace).bind(1, model.modelId()).bind(2, Long.parseLong(model.experimentId())).bind(3, model.name())
                    .bind(4, model.artifactUri()).bind(5, model.creationTimestampMs()).bind(6, model.lastUpdatedTimestampMs())
                    .bind(7, model.status().name()).bind(8, model.modelType().orElse(null)).bind(9, model.sourceRunId().orElse(null))
                    .bind(10, model.statusMessage().orElse(null)).execute();
            upsert(handle, "logged_model_tags", workspace, model.modelId(), model.tags());
            upsert(handle, "logged_model_params", workspace, model.modelId(), model.params());
        });
    }

    @Override
    public Optional<LoggedModel> get(String workspace, String modelId) {
        return database.read(handle -> read(handle, workspace, modelId));
    }

    @Override
    public boolean finalize(String workspace, String modelId, LoggedModelStatus status, Optional<String> message, long time) {
        return database.write(handle -> handle.createUpdate("UPDATE logged_models SET status = ?, status_message = COALESCE(?, status_message),"
                        + " last_updated_timestamp_ms = ? WHERE " + ACTIVE)
                .bind(0, status.name()).bind(1, message.orElse(null)).bind(2, time).bind(3, workspace).bind(4, modelId).execute() > 0);
    }

    @Override
    public boolean delete(String workspace, String modelId, long time) {
        return database.write(handle -> handle.createUpdate("UPDATE logged_models SET lifecycle_stage = 'deleted',"
                        + " last_updated_timestamp_ms = ? WHERE " + ACTIVE)
                .bind(0, time).bind(1, workspace).bind(2, modelId).execute() > 0);
    }

    @Override
    public boolean setTags(String workspace, String modelId, Map<String, String> tags, long time) {
        return database.write(handle -> {
            if (!touch(handle, workspace, modelId, time)) {
                return false;
            }
            upsert(handle, "logged_model_tags", workspace, modelId, tags);
            return true;
        });
    }

    @Override
    public boolean deleteTag(String workspace, String modelId, String key, long time) {
        return database.write(handle -> touch(handle, workspace, modelId, time)
                && handle.createUpdate("DELETE FROM logged_model_tags WHERE workspace = ? AND model_id = ? AND key = ?")
                .bind(0, workspace).bind(1, modelId).bind(2, key).execute() > 0);
    }

    @Override
    public List<String> addParams(String workspace, String modelId, Map<String, String> params, long time) {
        return database.write(handle -> {
            Map<String, String> stored = keyValues(handle, "logged_model_params", workspace, modelId);
            List<String> conflicts = params.entrySet().stream()
                    .filter(param -> stored.containsKey(param.getKey()) && !stored.get(param.getKey()).equals(param.getValue()))
                    .map(Map.Entry::getKey).toList();
            if (conflicts.isEmpty() && touch(handle, workspace, modelId, time)) {
                upsert(handle, "logged_model_params", workspace, modelId, params);
            }
            return conflicts;
        });
    }

    @Override
    public List<String> search(String workspace, List<Long> experimentIds, String filter, List<LoggedModelSearch.DatasetFilter> datasets,
                               List<LoggedModelSearch.Order> orderBy, int limit, int offset) {
        SqlQuery query = LoggedModelSearch.build(database.dialect(), workspace, experimentIds, filter, datasets, orderBy, limit, offset);
        return database.read(handle -> handle.select(query.sql(), query.parameterArray()).mapTo(String.class).list());
    }

    @Override
    public void addMetrics(String workspace, List<ModelMetric> metrics) {
        database.writeVoid(handle -> {
            for (ModelMetric linked : metrics) {
                Metric metric = linked.metric();
                boolean nan = Double.isNaN(metric.value());
                handle.createUpdate("""
                                INSERT INTO logged_model_metrics (workspace, model_id, key, timestamp_ms, step, run_uuid, value, is_nan,
                                    dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                ON CONFLICT (workspace, model_id, key, timestamp_ms, step, run_uuid) DO UPDATE SET value = excluded.value,
                                    is_nan = excluded.is_nan, dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest""")
                        .bind(0, workspace).bind(1, linked.modelId()).bind(2, metric.key()).bind(3, metric.timestamp()).bind(4, metric.step())
                        .bind(5, linked.runId()).bind(6, nan ? 0.0 : metric.value()).bind(7, nan ? 1 : 0)
                        .bind(8, linked.datasetName().orElse(null)).bind(9, linked.datasetDigest().orElse(null)).execute();
            }
        });
    }

    @Override
    public Map<String, List<ModelMetric>> metrics(String workspace, List<String> modelIds) {
        Map<String, List<ModelMetric>> metrics = new LinkedHashMap<>();
        if (modelIds.isEmpty()) {
            return metrics;
        }
        Object[] parameters = new Object[modelIds.size() + 1];
        parameters[0] = workspace;
        for (int i = 0; i < modelIds.size(); i++) {
            parameters[i + 1] = modelIds.get(i);
        }
        database.read(handle -> handle.select("SELECT model_id, key, value, is_nan, timestamp_ms, step, run_uuid, dataset_name, dataset_digest"
                        + " FROM logged_model_metrics WHERE workspace = ? AND model_id IN ("
                        + String.join(", ", java.util.Collections.nCopies(modelIds.size(), "?")) + ")"
                        + " ORDER BY model_id, timestamp_ms, step, key, run_uuid", parameters)
                .map((rs, ctx) -> new ModelMetric(rs.getString(1), rs.getString(7), Optional.ofNullable(rs.getString(8)),
                        Optional.ofNullable(rs.getString(9)), new Metric(rs.getString(2), rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(3),
                        rs.getLong(5), rs.getLong(6))))
                .list())
                .forEach(metric -> metrics.computeIfAbsent(metric.modelId(), id -> new java.util.ArrayList<>()).add(metric));
        return metrics;
    }

    @Override
    public void addOutputs(String workspace, String runId, Map<String, Long> modelSteps) {
        database.writeVoid(handle -> modelSteps.forEach((modelId, step) -> handle.createUpdate(
                        "INSERT INTO logged_model_outputs (workspace, run_uuid, model_id, step) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, workspace).bind(1, runId).bind(2, modelId).bind(3, step).execute()));
    }

    @Override
    public Map<String, Map<String, Long>> outputs(String workspace, List<String> runIds) {
        Map<String, Map<String, Long>> outputs = new LinkedHashMap<>();
        for (int from = 0; from < runIds.size(); from += OUTPUTS_CHUNK) {  // one query per chunk, under SQLite's bound limit
            List<String> chunk = runIds.subList(from, Math.min(runIds.size(), from + OUTPUTS_CHUNK));
            Object[] parameters = new Object[chunk.size() + 1];
            parameters[0] = workspace;
            for (int i = 0; i < chunk.size(); i++) {
                parameters[i + 1] = chunk.get(i);
            }
            database.read(handle -> handle.select("SELECT run_uuid, model_id, step FROM logged_model_outputs WHERE workspace = ?"
                            + " AND run_uuid IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")"
                            + " ORDER BY run_uuid, model_id, step", parameters)
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3))}).list())
                    .forEach(row -> outputs.computeIfAbsent(row[0], run -> new LinkedHashMap<>()).put(row[1], Long.parseLong(row[2])));
        }
        return outputs;
    }

    private static boolean touch(Handle handle, String workspace, String modelId, long time) {
        return handle.createUpdate("UPDATE logged_models SET last_updated_timestamp_ms = ? WHERE " + ACTIVE)
                .bind(0, time).bind(1, workspace).bind(2, modelId).execute() > 0;
    }

    private static Optional<LoggedModel> read(Handle handle, String workspace, String modelId) {
        return handle.createQuery("SELECT model_id, experiment_id, name, artifact_location, creation_timestamp_ms,"
                        + " last_updated_timestamp_ms, status, model_type, source_run_id, status_message FROM logged_models WHERE " + ACTIVE)
                .bind(0, workspace).bind(1, modelId)
                .map((rs, ctx) -> new LoggedModel(rs.getString(1), Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), LoggedModelStatus.valueOf(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
                        Optional.ofNullable(rs.getString(9)), Optional.ofNullable(rs.getString(10)), Map.of(), Map.of()))
                .findOne()
                .map(model -> new LoggedModel(model.modelId(), model.experimentId(), model.name(), model.artifactUri(),
                        model.creationTimestampMs(), model.lastUpdatedTimestampMs(), model.status(), model.modelType(),
                        model.sourceRunId(), model.statusMessage(), keyValues(handle, "logged_model_tags", workspace, modelId),
                        keyValues(handle, "logged_model_params", workspace, modelId)));
    }

    private static Map<String, String> keyValues(Handle handle, String table, String workspace, String modelId) {
        Map<String, String> values = new LinkedHashMap<>();
        handle.select("SELECT key, value FROM " + table + " WHERE workspace = ? AND model_id = ? ORDER BY key", workspace, modelId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(entry -> values.put(entry.getKey(), entry.getValue()));
        return values;
    }

    private static void upsert(Handle handle, String table, String workspace, String modelId, Map<String, String> values) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            handle.createUpdate("INSERT INTO " + table + " (workspace, model_id, key, value) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (workspace, model_id, key) DO UPDATE SET value = excluded.value")
                    .bind(0, workspace).bind(1, modelId).bind(2, entry.getKey()).bind(3, entry.getValue()).execute();
        }
    }
}
