package dev.atelier.server.environments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link EnvironmentStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcEnvironmentStore implements EnvironmentStore {
    private static final String COLUMNS = "name, version, kind, executable, image, python, requirements, conda_file, tags, description, "
            + "created_by, created_at, build_context, build_dockerfile";
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };
    private static final RowMapper<Environment> ROW = (rs, ctx) -> new Environment(rs.getString(1), rs.getInt(2),
            EnvironmentKind.parse("kind", rs.getString(3)), Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
            Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
            build(rs.getString(13), rs.getString(14)),
            tags(rs.getString(9)), rs.getString(10), rs.getString(11), rs.getLong(12));

    private final Database database;

    public JdbcEnvironmentStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<Environment> createVersion(String workspace, Environment environment) {
        return database.write(handle -> {
            int version = environment.version() > 0 ? environment.version()
                    : handle.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM environments WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", environment.name()).mapTo(Integer.class).one();
            boolean taken = handle.createQuery("SELECT COUNT(*) FROM environments WHERE workspace = :workspace AND name = :name "
                            + "AND version = :version")
                    .bind("workspace", workspace).bind("name", environment.name()).bind("version", version).mapTo(Integer.class).one() > 0;
            if (taken) {
                return Optional.<Environment>empty();
            }
            handle.createUpdate("""
                            INSERT INTO environments (workspace, name, version, kind, executable, image, python, requirements, conda_file,
                                                      tags, description, created_by, created_at, build_context, build_dockerfile)
                            VALUES (:workspace, :name, :version, :kind, :executable, :image, :python, :requirements, :condaFile, :tags,
                                    :description, :createdBy, :createdAt, :buildContext, :buildDockerfile)
                            """)
                    .bind("workspace", workspace)
                    .bind("name", environment.name())
                    .bind("version", version)
                    .bind("kind", environment.kind().wireName())
                    .bind("executable", environment.executable().orElse(null))
                    .bind("image", environment.image().orElse(null))
                    .bind("python", environment.python().orElse(null))
                    .bind("requirements", environment.requirements().orElse(null))
                    .bind("condaFile", environment.condaFile().orElse(null))
                    .bind("tags", environment.tags().isEmpty() ? null : json(environment.tags()))
                    .bind("description", environment.description())
                    .bind("createdBy", environment.createdBy())
                    .bind("createdAt", environment.createdAt())
                    .bind("buildContext", environment.build().map(ImageBuild::contextSnapshot).orElse(null))
                    .bind("buildDockerfile", environment.build().map(ImageBuild::dockerfilePath).orElse(null))
                    .execute();
            return Optional.of(environment.withVersion(version));
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
    public List<Environment> listAll() {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM environments ORDER BY workspace, name, version")
                .map(ROW).list());
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

    private static Optional<ImageBuild> build(String context, String dockerfile) {
        return context == null ? Optional.empty() : Optional.of(new ImageBuild(context, dockerfile));
    }

    private static String json(Map<String, String> tags) {
        try {
            return Json.mapper().writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> tags(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable environment tags: " + e.getOriginalMessage(), e);
        }
    }
}
