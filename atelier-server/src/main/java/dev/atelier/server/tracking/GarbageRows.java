package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

/** Queries of garbage collection: find what was deleted long enough ago, and remove it for good. */
final class GarbageRows {
    /** Runs purged per transaction, so a large collection never holds the write lock for long. */
    private static final int PURGE_CHUNK = 200;

    private GarbageRows() {
    }

    static List<TrackingStore.DeletedRun> deletedRuns(Database database, Optional<String> workspace, long deletedBefore) {
        return database.read(handle -> handle.createQuery("""
                        SELECT workspace, run_uuid, artifact_uri FROM runs
                        WHERE lifecycle_stage = 'deleted' AND deleted_time <= :before
                          AND (:workspace IS NULL OR workspace = :workspace)
                        ORDER BY deleted_time
                        """)
                .bind("before", deletedBefore).bind("workspace", workspace.orElse(null))
                .map((rs, ctx) -> new TrackingStore.DeletedRun(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list());
    }

    static List<TrackingStore.DeletedExperiment> deletedExperiments(Database database, Optional<String> workspace, long deletedBefore) {
        return database.read(handle -> handle.createQuery("""
                        SELECT workspace, experiment_id, artifact_location FROM experiments
                        WHERE lifecycle_stage = 'deleted' AND deleted_time <= :before
                          AND (:workspace IS NULL OR workspace = :workspace)
                        ORDER BY deleted_time
                        """)
                .bind("before", deletedBefore).bind("workspace", workspace.orElse(null))
                .map((rs, ctx) -> new TrackingStore.DeletedExperiment(rs.getString(1), rs.getLong(2), rs.getString(3)))
                .list());
    }

    static GarbageReport purgeRuns(Database database, List<String> runIds) {
        GarbageReport total = new GarbageReport(0, 0, 0, 0, 0, 0);
        for (int start = 0; start < runIds.size(); start += PURGE_CHUNK) {
            List<String> chunk = runIds.subList(start, Math.min(runIds.size(), start + PURGE_CHUNK));
            total = total.plus(database.write(handle -> purgeChunk(handle, chunk)));
        }
        return total;
    }

    private static GarbageReport purgeChunk(Handle handle, List<String> runIds) {
        long metrics = handle.createQuery("""
                        SELECT COALESCE(SUM(c.point_count), 0)
                        FROM metric_chunks c JOIN metric_series s ON s.series_id = c.series_id
                        WHERE s.run_uuid IN (<ids>)
                        """)
                .bindList("ids", runIds)
                .mapTo(Long.class)
                .one();
        handle.createUpdate("DELETE FROM metric_chunks WHERE series_id IN (SELECT series_id FROM metric_series WHERE run_uuid IN (<ids>))")
                .bindList("ids", runIds)
                .execute();
        deleteFrom(handle, "metric_series", runIds);
        deleteFrom(handle, "latest_metrics", runIds);
        long params = deleteFrom(handle, "params", runIds);
        long tags = deleteFrom(handle, "tags", runIds);
        deleteFrom(handle, "run_input_tags", runIds);
        deleteFrom(handle, "run_inputs", runIds);
        long runs = deleteFrom(handle, "runs", runIds);
        return new GarbageReport(runs, 0, metrics, params, tags, 0);
    }

    private static long deleteFrom(Handle handle, String table, List<String> runIds) {
        return handle.createUpdate("DELETE FROM " + table + " WHERE run_uuid IN (<ids>)")
                .bindList("ids", runIds)
                .execute();
    }

    static void purgeExperiment(Database database, String workspace, long experimentId) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            DELETE FROM run_input_tags WHERE dataset_uuid IN
                                (SELECT dataset_uuid FROM datasets WHERE workspace = :workspace AND experiment_id = :id)
                            """)
                    .bind("workspace", workspace).bind("id", experimentId).execute();
            handle.createUpdate("""
                            DELETE FROM run_inputs WHERE dataset_uuid IN
                                (SELECT dataset_uuid FROM datasets WHERE workspace = :workspace AND experiment_id = :id)
                            """)
                    .bind("workspace", workspace).bind("id", experimentId).execute();
            for (String table : List.of("datasets", "experiment_tags", "experiments")) {
                handle.createUpdate("DELETE FROM " + table + " WHERE workspace = :workspace AND experiment_id = :id")
                        .bind("workspace", workspace).bind("id", experimentId).execute();
            }
        });
    }
}
