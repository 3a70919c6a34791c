package dev.atelier.server.tracking;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** {@link TrackingStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcTrackingStore implements TrackingStore {
    static final String DEFAULT_EXPERIMENT_NAME = "Default";

    private final Database database;

    public JdbcTrackingStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Experiment createExperiment(String workspace, String name, Optional<String> artifactLocation, List<KeyValue> tags, long time) {
        return database.write(handle -> {
            // The workspace's row is locked first: concurrent creations in a workspace queue here, so the name check
            // below sees a name another one just committed (PostgreSQL, READ COMMITTED) and answers it as MLflow does
            // instead of failing on the unique key. A refused name rolls the counter back with the transaction.
            long experimentId = handle.createQuery("""
                            UPDATE workspaces SET next_experiment_id = next_experiment_id + 1 WHERE name = :workspace
                            RETURNING next_experiment_id - 1
                            """)
                    .bind("workspace", workspace)
                    .mapTo(Long.class)
                    .one();
            if (ExperimentRows.findExperimentId(handle, workspace, name).isPresent()) {
                throw AtelierException.alreadyExists("Experiment(name=" + name + ") already exists.");
            }
            ExperimentRows.insertExperiment(handle, workspace, experimentId, name, artifactLocation.orElse("mlflow-artifacts:/" + experimentId), time);
            for (KeyValue tag : tags) {
                ExperimentRows.upsertExperimentTag(handle, workspace, experimentId, tag);
            }
            return ExperimentRows.loadExperiment(handle, workspace, experimentId).orElseThrow();
        });
    }

    @Override
    public void ensureDefaultExperiment(String workspace, long time) {
        database.writeVoid(handle -> {
            if (ExperimentRows.loadExperiment(handle, workspace, 0).isPresent()) {
                return;
            }
            handle.createUpdate("UPDATE workspaces SET next_experiment_id = 1 WHERE name = :workspace AND next_experiment_id = 0")
                    .bind("workspace", workspace).execute();
            ExperimentRows.insertExperiment(handle, workspace, 0, DEFAULT_EXPERIMENT_NAME, "mlflow-artifacts:/0", time);
        });
    }

    @Override
    public Optional<Experiment> getExperiment(String workspace, long experimentId) {
        return database.read(handle -> ExperimentRows.loadExperiment(handle, workspace, experimentId));
    }

    @Override
    public boolean experimentExists(String workspace, long experimentId) {
        return database.read(handle -> {
            try (java.sql.PreparedStatement exists = handle.getConnection().prepareStatement(
                    "SELECT 1 FROM experiments WHERE workspace = ? AND experiment_id = ?")) {
                exists.setString(1, workspace);
                exists.setLong(2, experimentId);
                try (java.sql.ResultSet row = exists.executeQuery()) {
                    return row.next();
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot read experiment " + experimentId + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Optional<Experiment> getExperimentByName(String workspace, String name) {
        return database.read(handle -> ExperimentRows.findExperimentId(handle, workspace, name).flatMap(id -> ExperimentRows.loadExperiment(handle, workspace, id)));
    }

    @Override
    public void deleteExperiment(String workspace, long experimentId, long time) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            UPDATE experiments SET lifecycle_stage = 'deleted', deleted_time = :time, last_update_time = :time
                            WHERE workspace = :workspace AND experiment_id = :id
                            """)
                    .bind("workspace", workspace).bind("id", experimentId).bind("time", time).execute();
            handle.createUpdate("""
                            UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = :time
                            WHERE workspace = :workspace AND experiment_id = :id AND lifecycle_stage = 'active'
                            """)
                    .bind("workspace", workspace).bind("id", experimentId).bind("time", time).execute();
        });
    }

    @Override
    public void restoreExperiment(String workspace, long experimentId, long time) {
        database.writeVoid(handle -> {
            Long deletedTime = handle.createQuery("SELECT deleted_time FROM experiments WHERE workspace = :workspace AND experiment_id = :id")
                    .bind("workspace", workspace).bind("id", experimentId)
                    .mapTo(Long.class).findOne().orElse(null);
            handle.createUpdate("""
                            UPDATE experiments SET lifecycle_stage = 'active', deleted_time = NULL, last_update_time = :time
                            WHERE workspace = :workspace AND experiment_id = :id
                            """)
                    .bind("workspace", workspace).bind("id", experimentId).bind("time", time).execute();
            if (deletedTime != null) {
                handle.createUpdate("""
                                UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL
                                WHERE workspace = :workspace AND experiment_id = :id AND deleted_time = :deleted
                                """)
                        .bind("workspace", workspace).bind("id", experimentId).bind("deleted", deletedTime).execute();
            }
        });
    }

    @Override
    public void renameExperiment(String workspace, long experimentId, String newName, long time) {
        database.writeVoid(handle -> {
            Optional<Long> holder = ExperimentRows.findExperimentId(handle, workspace, newName);
            if (holder.isPresent() && holder.get() != experimentId) {
                throw AtelierException.alreadyExists("Experiment(name=" + newName + ") already exists.");
            }
            handle.createUpdate("UPDATE experiments SET name = :name, last_update_time = :time WHERE workspace = :workspace AND experiment_id = :id")
                    .bind("workspace", workspace).bind("id", experimentId).bind("name", newName).bind("time", time).execute();
        });
    }

    @Override
    public void setExperimentTag(String workspace, long experimentId, KeyValue tag) {
        database.writeVoid(handle -> ExperimentRows.upsertExperimentTag(handle, workspace, experimentId, tag));
    }

    @Override
    public boolean deleteExperimentTag(String workspace, long experimentId, String key) {
        return database.write(handle -> handle.createUpdate(
                        "DELETE FROM experiment_tags WHERE workspace = :workspace AND experiment_id = :id AND key = :key")
                .bind("workspace", workspace).bind("id", experimentId).bind("key", key)
                .execute() > 0);
    }

    @Override
    public List<Experiment> searchExperiments(String workspace, ExperimentQuery query, int limit, int offset) {
        return database.read(handle -> {
            List<Long> ids = SearchQueries.experimentIds(handle, database.dialect(), workspace, query, limit, offset);
            return ExperimentRows.loadExperiments(handle, workspace, ids);
        });
    }

    @Override
    public Optional<RunInfo> createRun(String workspace, NewRun run, List<KeyValue> tags) {
        return database.write(handle -> RunWrites.create(handle, workspace, run, tags));
    }

    @Override
    public Optional<RunInfo> getRunInfo(String workspace, String runId) {
        return database.read(handle -> handle.createQuery("SELECT " + RunRows.INFO_COLUMNS + " FROM runs WHERE run_uuid = :id AND workspace = :workspace")
                .bind("id", runId).bind("workspace", workspace)
                .map((rs, ctx) -> RunRows.info(rs))
                .findOne());
    }

    @Override
    public Optional<Run> getRun(String workspace, String runId) {
        return database.read(handle -> RunRows.load(handle, workspace, List.of(runId)).stream().findFirst());
    }

    @Override
    public List<Run> getRuns(String workspace, List<String> runIds) {
        return database.read(handle -> RunRows.load(handle, workspace, runIds));
    }

    @Override
    public void updateRunInfo(String runId, RunStatus status, Optional<Long> endTime, Optional<String> runName) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            UPDATE runs SET status = :status, end_time = COALESCE(:end, end_time), name = COALESCE(:name, name)
                            WHERE run_uuid = :id
                            """)
                    .bind("id", runId).bind("status", status.name()).bind("end", endTime.orElse(null)).bind("name", runName.orElse(null))
                    .execute();
            runName.ifPresent(name -> RunWrites.upsertTags(handle, runId, List.of(new KeyValue(TrackingService.RUN_NAME_TAG, name))));
        });
    }

    @Override
    public void deleteRun(String runId, long time) {
        database.writeVoid(handle -> handle.createUpdate("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = :time WHERE run_uuid = :id")
                .bind("id", runId).bind("time", time).execute());
    }

    @Override
    public void restoreRun(String runId) {
        database.writeVoid(handle -> handle.createUpdate("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = :id")
                .bind("id", runId).execute());
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags) {
        database.writeVoid(handle -> {
            insertParams(handle, runId, params);
            MetricRows.append(handle, database.dialect() == Database.Dialect.POSTGRESQL, runId, metrics);
            RunWrites.upsertTags(handle, runId, tags);
            tags.stream().filter(tag -> TrackingService.RUN_NAME_TAG.equals(tag.key())).reduce((a, b) -> b)
                    .ifPresent(tag -> handle.createUpdate("UPDATE runs SET name = :name WHERE run_uuid = :id")
                            .bind("name", tag.value()).bind("id", runId).execute());
        });
    }

    /** Params are write-once: the same value again is fine, another value fails the transaction. Written in key order. */
    private static void insertParams(Handle handle, String runId, List<KeyValue> unsorted) {
        if (unsorted.isEmpty()) {
            return;
        }
        List<KeyValue> params = unsorted.stream().sorted(java.util.Comparator.comparing(KeyValue::key)).toList();
        Map<String, String> existing = new HashMap<>();
        handle.createQuery("SELECT key, value FROM params WHERE run_uuid = :id AND key IN (<keys>)")
                .bind("id", runId).bindList("keys", params.stream().map(KeyValue::key).toList())
                .map((rs, ctx) -> existing.put(rs.getString(1), rs.getString(2)))
                .list();
        // ON CONFLICT DO NOTHING: a concurrent request logging the same key commits first (PostgreSQL); its value is
        // then read and compared as if it had been there before, instead of failing on the primary key.
        PreparedBatch insert = handle.prepareBatch("INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO NOTHING");
        List<KeyValue> inserted = new ArrayList<>();
        for (KeyValue param : params) {
            String old = existing.get(param.key());
            if (old == null) {
                insert.bind(0, runId).bind(1, param.key()).bind(2, param.value()).add();
                existing.put(param.key(), param.value());
                inserted.add(param);
            } else {
                requireSameParam(runId, param, old);
            }
        }
        if (inserted.isEmpty()) {
            return;
        }
        int[] counts = insert.execute();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                KeyValue param = inserted.get(i);
                String stored = handle.createQuery("SELECT value FROM params WHERE run_uuid = :id AND key = :key")
                        .bind("id", runId).bind("key", param.key()).mapTo(String.class).one();
                requireSameParam(runId, param, stored);
            }
        }
    }

    private static void requireSameParam(String runId, KeyValue param, String stored) {
        if (!stored.equals(param.value())) {
            throw AtelierException.invalidParameter("Changing param values is not allowed. Param with key='" + param.key()
                    + "' was already logged with value='" + stored + "' for run ID='" + runId
                    + "'. Attempted logging new value '" + param.value() + "'.");
        }
    }

    @Override
    public boolean deleteTag(String runId, String key) {
        return database.write(handle -> handle.createUpdate("DELETE FROM tags WHERE run_uuid = :id AND key = :key")
                .bind("id", runId).bind("key", key).execute() > 0);
    }

    @Override
    public List<Metric> getMetricHistory(String runId, String key, int limit, int offset) {
        return database.read(handle -> MetricHistoryRows.history(handle, runId, key, limit, offset));
    }

    @Override
    public List<Long> getMetricSteps(String runId, String key, long startStep, long endStep) {
        return database.read(handle -> MetricHistoryRows.steps(handle, runId, key, startStep, endStep));
    }

    @Override
    public List<Metric> getMetricsAtSteps(String runId, String key, Collection<Long> steps) {
        return database.read(handle -> MetricHistoryRows.atSteps(handle, runId, key, steps));
    }

    @Override
    public void logInputs(String workspace, long experimentId, String runId, List<DatasetInput> inputs) {
        database.writeVoid(handle -> {
            for (DatasetInput input : inputs) {
                Dataset dataset = input.dataset();
                String datasetId = handle.createQuery("""
                                SELECT dataset_uuid FROM datasets
                                WHERE workspace = :workspace AND experiment_id = :experiment AND name = :name AND digest = :digest
                                """)
                        .bind("workspace", workspace).bind("experiment", experimentId)
                        .bind("name", dataset.name()).bind("digest", dataset.digest())
                        .mapTo(String.class).findOne()
                        .orElseGet(() -> insertDataset(handle, workspace, experimentId, dataset)
                                .orElseGet(() -> handle.createQuery("""
                                                SELECT dataset_uuid FROM datasets
                                                WHERE workspace = :workspace AND experiment_id = :experiment AND name = :name AND digest = :digest
                                                """)
                                        .bind("workspace", workspace).bind("experiment", experimentId)
                                        .bind("name", dataset.name()).bind("digest", dataset.digest())
                                        .mapTo(String.class).one()));
                handle.createUpdate("INSERT INTO run_inputs (run_uuid, dataset_uuid) VALUES (:run, :dataset) ON CONFLICT DO NOTHING")
                        .bind("run", runId).bind("dataset", datasetId).execute();
                for (KeyValue tag : input.tags()) {
                    handle.createUpdate("""
                                    INSERT INTO run_input_tags (run_uuid, dataset_uuid, key, value) VALUES (:run, :dataset, :key, :value)
                                    ON CONFLICT (run_uuid, dataset_uuid, key) DO UPDATE SET value = excluded.value
                                    """)
                            .bind("run", runId).bind("dataset", datasetId).bind("key", tag.key()).bind("value", tag.value())
                            .execute();
                }
            }
        });
    }

    /** Its new id; empty when a concurrent request logged the same dataset (name and digest) in the experiment first. */
    private static Optional<String> insertDataset(Handle handle, String workspace, long experimentId, Dataset dataset) {
        String datasetId = UUID.randomUUID().toString().replace("-", "");
        int inserted = handle.createUpdate("""
                        INSERT INTO datasets (dataset_uuid, workspace, experiment_id, name, digest, source_type, source, schema, profile)
                        VALUES (:id, :workspace, :experiment, :name, :digest, :sourceType, :source, :schema, :profile)
                        ON CONFLICT (workspace, experiment_id, name, digest) DO NOTHING
                        """)
                .bind("id", datasetId).bind("workspace", workspace).bind("experiment", experimentId)
                .bind("name", dataset.name()).bind("digest", dataset.digest()).bind("sourceType", dataset.sourceType())
                .bind("source", dataset.source()).bind("schema", dataset.schema()).bind("profile", dataset.profile())
                .execute();
        return inserted == 1 ? Optional.of(datasetId) : Optional.empty();
    }

    @Override
    public List<String> searchRunIds(String workspace, RunQuery query, int limit, int offset) {
        return database.read(handle -> SearchQueries.runIds(handle, database.dialect(), workspace, query, limit, offset));
    }

    @Override
    public List<DeletedRun> findDeletedRuns(Optional<String> workspace, long deletedBefore) {
        return GarbageRows.deletedRuns(database, workspace, deletedBefore);
    }

    @Override
    public List<DeletedExperiment> findDeletedExperiments(Optional<String> workspace, long deletedBefore) {
        return GarbageRows.deletedExperiments(database, workspace, deletedBefore);
    }

    @Override
    public GarbageReport purgeRuns(List<String> runIds) {
        return GarbageRows.purgeRuns(database, runIds);
    }

    @Override
    public void purgeExperiment(String workspace, long experimentId) {
        GarbageRows.purgeExperiment(database, workspace, experimentId);
    }

    @Override
    public List<Metric> sampleMetricHistory(String runId, String key, long startStep, long endStep, int maxPoints) {
        return database.read(handle -> MetricSamples.sample(handle, runId, key, startStep, endStep, maxPoints));
    }

    @Override
    public Map<String, Map<String, List<Metric>>> sampleMetricHistories(String workspace, List<String> runIds, List<String> keys,
                                                                        int maxPoints) {
        return database.read(handle -> MetricSamples.sampleMany(handle, workspace, runIds, keys, maxPoints));
    }

    @Override
    public RunCounts countRuns(String workspace) {
        return database.read(handle -> handle.createQuery("""
                        SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'RUNNING' THEN 1 ELSE 0 END), 0)
                        FROM runs WHERE workspace = :workspace AND lifecycle_stage = 'active'
                        """)
                .bind("workspace", workspace)
                .map((rs, ctx) -> new RunCounts(rs.getLong(1), rs.getLong(2)))
                .one());
    }

    @Override
    public boolean holdsData(String workspace) {
        return database.read(handle -> handle.createQuery("""
                        SELECT 1 WHERE EXISTS (SELECT 1 FROM runs WHERE workspace = :workspace)
                                    OR EXISTS (SELECT 1 FROM experiments WHERE workspace = :workspace AND experiment_id <> 0)
                        """)
                .bind("workspace", workspace).mapTo(Integer.class).findOne().isPresent());
    }
}
