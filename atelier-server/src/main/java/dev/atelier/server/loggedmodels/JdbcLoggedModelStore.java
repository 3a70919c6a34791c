package dev.atelier.server.loggedmodels;

import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.SqlQuery;
import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link LoggedModelStore} on SQLite or PostgreSQL (V22). Thread-safe. */
public final class JdbcLoggedModelStore implements LoggedModelStore {
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
    public List<String> search(String workspace, List<Long> experimentIds, String filter, List<LoggedModelSearch.Order> orderBy, int limit,
                               int offset) {
        SqlQuery query = LoggedModelSearch.build(database.dialect(), workspace, experimentIds, filter, orderBy, limit, offset);
        return database.read(handle -> handle.select(query.sql(), query.parameterArray()).mapTo(String.class).list());
    }

    @Override
    public void addOutputs(String workspace, String runId, Map<String, Long> modelSteps) {
        database.writeVoid(handle -> modelSteps.forEach((modelId, step) -> handle.createUpdate(
                        "INSERT INTO logged_model_outputs (workspace, run_uuid, model_id, step) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, workspace).bind(1, runId).bind(2, modelId).bind(3, step).execute()));
    }

    @Override
    public Map<String, Long> outputs(String workspace, String runId) {
        Map<String, Long> outputs = new LinkedHashMap<>();
        database.read(handle -> handle.select("SELECT model_id, step FROM logged_model_outputs WHERE workspace = ? AND run_uuid = ?"
                        + " ORDER BY model_id, step", workspace, runId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list())
                .forEach(entry -> outputs.put(entry.getKey(), entry.getValue()));
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
