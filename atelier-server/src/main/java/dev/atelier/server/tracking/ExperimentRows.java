package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of experiments and their tags, shared by the tracking store's methods. */
final class ExperimentRows {
    private static final String EXPERIMENT_COLUMNS = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    private ExperimentRows() {
    }

    static void insertExperiment(Handle handle, String workspace, long experimentId, String name, String artifactLocation, long time) {
        handle.createUpdate("""
                        INSERT INTO experiments (workspace, experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                        VALUES (:workspace, :id, :name, :location, 'active', :time, :time)
                        """)
                .bind("workspace", workspace).bind("id", experimentId).bind("name", name)
                .bind("location", artifactLocation).bind("time", time)
                .execute();
    }

    static Optional<Long> findExperimentId(Handle handle, String workspace, String name) {
        return handle.createQuery("SELECT experiment_id FROM experiments WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name)
                .mapTo(Long.class)
                .findOne();
    }

    static Optional<Experiment> loadExperiment(Handle handle, String workspace, long experimentId) {
        return loadExperiments(handle, workspace, List.of(experimentId)).stream().findFirst();
    }

    /** Loads experiments with their tags, in the order of {@code ids}. */
    static List<Experiment> loadExperiments(Handle handle, String workspace, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, List<KeyValue>> tags = new HashMap<>();
        handle.createQuery("SELECT experiment_id, key, value FROM experiment_tags WHERE workspace = :workspace AND experiment_id IN (<ids>) ORDER BY key")
                .bind("workspace", workspace).bindList("ids", ids)
                .map((rs, ctx) -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new KeyValue(rs.getString(2), rs.getString(3))))
                .list();
        Map<Long, Experiment> byId = new HashMap<>();
        handle.createQuery("SELECT " + EXPERIMENT_COLUMNS + " FROM experiments WHERE workspace = :workspace AND experiment_id IN (<ids>)")
                .bind("workspace", workspace).bindList("ids", ids)
                .map((rs, ctx) -> byId.put(rs.getLong("experiment_id"), new Experiment(
                        Long.toString(rs.getLong("experiment_id")), rs.getString("name"), rs.getString("artifact_location"),
                        rs.getString("lifecycle_stage"), rs.getLong("last_update_time"), rs.getLong("creation_time"),
                        tags.getOrDefault(rs.getLong("experiment_id"), List.of()))))
                .list();
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    static void upsertExperimentTag(Handle handle, String workspace, long experimentId, KeyValue tag) {
        handle.createUpdate("""
                        INSERT INTO experiment_tags (workspace, experiment_id, key, value) VALUES (:workspace, :id, :key, :value)
                        ON CONFLICT (workspace, experiment_id, key) DO UPDATE SET value = excluded.value
                        """)
                .bind("workspace", workspace).bind("id", experimentId).bind("key", tag.key()).bind("value", tag.value())
                .execute();
    }
}
