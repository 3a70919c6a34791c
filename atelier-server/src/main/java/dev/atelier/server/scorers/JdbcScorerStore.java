package dev.atelier.server.scorers;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;

import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@link ScorerStore} on SQLite or PostgreSQL (tables scorers and scorer_versions of V33). Thread-safe. */
public final class JdbcScorerStore implements ScorerStore {
    private static final String SELECT = "SELECT v.experiment_id, v.name, v.version, v.serialized_scorer, v.creation_time_ms, s.scorer_id"
            + " FROM scorer_versions v JOIN scorers s ON s.workspace = v.workspace AND s.experiment_id = v.experiment_id"
            + " AND s.name = v.name";

    private final Database database;

    public JdbcScorerStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Scorer register(String workspace, long experimentId, String name, String serializedScorer, long creationTimeMs,
                           String newScorerId) {
        return database.write(handle -> {
            handle.createUpdate("INSERT INTO scorers (workspace, experiment_id, name, scorer_id) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (workspace, experiment_id, name) DO NOTHING")
                    .bind(0, workspace).bind(1, experimentId).bind(2, name).bind(3, newScorerId).execute();
            int version = handle.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM scorer_versions"
                            + " WHERE workspace = ? AND experiment_id = ? AND name = ?")
                    .bind(0, workspace).bind(1, experimentId).bind(2, name).mapTo(Integer.class).one();
            handle.createUpdate("INSERT INTO scorer_versions (workspace, experiment_id, name, version, serialized_scorer, creation_time_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, workspace).bind(1, experimentId).bind(2, name).bind(3, version).bind(4, serializedScorer)
                    .bind(5, creationTimeMs).execute();
            return versions(handle, workspace, experimentId, name).getLast();
        });
    }

    @Override
    public List<Scorer> latest(String workspace, List<Long> experimentIds) {
        if (experimentIds.isEmpty()) {
            return List.of();
        }
        Object[] parameters = new Object[experimentIds.size() + 1];
        parameters[0] = workspace;
        for (int i = 0; i < experimentIds.size(); i++) {
            parameters[i + 1] = experimentIds.get(i);
        }
        return database.read(handle -> handle.select(SELECT + " WHERE v.workspace = ? AND v.experiment_id IN ("
                        + String.join(", ", Collections.nCopies(experimentIds.size(), "?")) + ")"
                        + " AND v.version = (SELECT MAX(l.version) FROM scorer_versions l WHERE l.workspace = v.workspace"
                        + " AND l.experiment_id = v.experiment_id AND l.name = v.name)"
                        + " ORDER BY v.experiment_id, v.name", parameters)
                .map((rs, ctx) -> scorer(rs)).list());
    }

    @Override
    public List<Scorer> versions(String workspace, long experimentId, String name) {
        return database.read(handle -> versions(handle, workspace, experimentId, name));
    }

    @Override
    public int delete(String workspace, long experimentId, String name, Integer version) {
        return database.write(handle -> {
            var update = handle.createUpdate("DELETE FROM scorer_versions WHERE workspace = ? AND experiment_id = ? AND name = ?"
                            + (version == null ? "" : " AND version = ?"))
                    .bind(0, workspace).bind(1, experimentId).bind(2, name);
            int deleted = (version == null ? update : update.bind(3, version.intValue())).execute();
            handle.createUpdate("DELETE FROM scorers WHERE workspace = ? AND experiment_id = ? AND name = ? AND NOT EXISTS"
                            + " (SELECT 1 FROM scorer_versions v WHERE v.workspace = scorers.workspace"
                            + " AND v.experiment_id = scorers.experiment_id AND v.name = scorers.name)")
                    .bind(0, workspace).bind(1, experimentId).bind(2, name).execute();
            return deleted;
        });
    }

    private static List<Scorer> versions(Handle handle, String workspace, long experimentId, String name) {
        return handle.select(SELECT + " WHERE v.workspace = ? AND v.experiment_id = ? AND v.name = ? ORDER BY v.version",
                        workspace, experimentId, name)
                .map((rs, ctx) -> scorer(rs)).list();
    }

    private static Scorer scorer(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Scorer(Long.toString(rs.getLong(1)), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5), rs.getString(6));
    }
}
