package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.ExperimentSearchQueryBuilder;
import dev.atelier.server.tracking.search.RunSearchQueryBuilder;
import dev.atelier.server.tracking.search.SqlQuery;
import org.jdbi.v3.core.Handle;

import java.util.List;

/** Runs the SQL that the search package builds for runs/search and experiments/search. */
final class SearchQueries {
    private SearchQueries() {
    }

    static List<String> runIds(Handle handle, Database.Dialect dialect, String workspace, RunQuery query, int limit, int offset) {
        SqlQuery sql = RunSearchQueryBuilder.build(dialect, workspace, query.experimentIds(), query.viewType(), query.filter(),
                query.orderBy(), limit, offset);
        return handle.select(sql.sql(), sql.parameterArray()).mapTo(String.class).list();
    }

    static List<Long> experimentIds(Handle handle, Database.Dialect dialect, String workspace, ExperimentQuery query, int limit, int offset) {
        SqlQuery sql = ExperimentSearchQueryBuilder.build(dialect, workspace, query.viewType(), query.filter(), query.orderBy(), limit, offset);
        return handle.select(sql.sql(), sql.parameterArray()).mapTo(Long.class).list();
    }
}
