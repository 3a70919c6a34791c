package dev.atelier.server.environments;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link EnvironmentStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcEnvironmentStore implements EnvironmentStore {
    private static final String COLUMNS = "name, version, kind, executable, image, requirements, description, created_by, created_at";
    private static final RowMapper<Environment> ROW = (rs, ctx) -> new Environment(rs.getString(1), rs.getInt(2),
            EnvironmentKind.parse("kind", rs.getString(3)), Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
            Optional.ofNullable(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getLong(9));

    private final Database database;

    public JdbcEnvironmentStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Environment createVersion(String workspace, Environment environment) {
        return database.write(handle -> {
            int next = handle.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM environments WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", environment.name()).mapTo(Integer.class).one();
            handle.createUpdate("""
                            INSERT INTO environments (workspace, name, version, kind, executable, image, requirements, description,
                                                      created_by, created_at)
                            VALUES (:workspace, :name, :version, :kind, :executable, :image, :requirements, :description, :createdBy, :createdAt)
                            """)
                    .bind("workspace", workspace)
                    .bind("name", environment.name())
                    .bind("version", next)
                    .bind("kind", environment.kind().wireName())
                    .bind("executable", environment.executable().orElse(null))
                    .bind("image", environment.image().orElse(null))
                    .bind("requirements", environment.requirements().orElse(null))
                    .bind("description", environment.description())
                    .bind("createdBy", environment.createdBy())
                    .bind("createdAt", environment.createdAt())
                    .execute();
            return new Environment(environment.name(), next, environment.kind(), environment.executable(), environment.image(),
                    environment.requirements(), environment.description(), environment.createdBy(), environment.createdAt());
        });
    }

    @Override
    public List<Environment> listLatest(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + """
                         FROM environments e WHERE workspace = :workspace
                         AND version = (SELECT MAX(version) FROM environments l WHERE l.workspace = e.workspace AND l.name = e.name)
                         ORDER BY name
                        """)
                .bind("workspace", workspace).map(ROW).list());
    }

    @Override
    public List<Environment> listVersions(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM environments WHERE workspace = :workspace AND name = :name ORDER BY version DESC")
                .bind("workspace", workspace).bind("name", name).map(ROW).list());
    }

    @Override
    public Optional<Environment> get(String workspace, String name, Optional<Integer> version) {
        if (version.isEmpty()) {
            return listVersions(workspace, name).stream().findFirst();
        }
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM environments WHERE workspace = :workspace AND name = :name AND version = :version")
                .bind("workspace", workspace).bind("name", name).bind("version", version.get()).map(ROW).findOne());
    }
}
