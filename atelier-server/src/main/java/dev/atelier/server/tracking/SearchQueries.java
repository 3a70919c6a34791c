package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;

import java.util.List;

/** Runs the SQL of runs/search and experiments/search. */
final class SearchQueries {
    private SearchQueries() {
    }

    static List<String> runIds(Handle handle, Database.Dialect dialect, String workspace, RunQuery query, int limit, int offset) {
        String stage = switch (query.viewType()) {
            case ACTIVE_ONLY -> " AND lifecycle_stage = 'active'";
            case DELETED_ONLY -> " AND lifecycle_stage = 'deleted'";
            case ALL -> "";
        };
        return handle.createQuery("SELECT run_uuid FROM runs WHERE workspace = :workspace AND experiment_id IN (<ids>)" + stage
                        + " ORDER BY start_time DESC, run_uuid LIMIT :limit OFFSET :offset")
                .bind("workspace", workspace).bindList("ids", query.experimentIds()).bind("limit", limit).bind("offset", offset)
                .mapTo(String.class).list();
    }

    static List<Long> experimentIds(Handle handle, Database.Dialect dialect, String workspace, ExperimentQuery query, int limit, int offset) {
        String stage = switch (query.viewType()) {
            case ACTIVE_ONLY -> " AND lifecycle_stage = 'active'";
            case DELETED_ONLY -> " AND lifecycle_stage = 'deleted'";
            case ALL -> "";
        };
        return handle.createQuery("SELECT experiment_id FROM experiments WHERE workspace = :workspace" + stage
                        + " ORDER BY creation_time DESC, experiment_id LIMIT :limit OFFSET :offset")
                .bind("workspace", workspace).bind("limit", limit).bind("offset", offset)
                .mapTo(Long.class).list();
    }
}
