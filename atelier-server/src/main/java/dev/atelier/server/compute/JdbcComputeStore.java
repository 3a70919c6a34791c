package dev.atelier.server.compute;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link ComputeStore} on SQLite or PostgreSQL; a target's kind-specific settings are one JSON column. Thread-safe. */
public final class JdbcComputeStore implements ComputeStore {
    private static final String COLUMNS = "name, kind, max_concurrent_jobs, settings, description, created_at, updated_at";
    private static final RowMapper<ComputeTarget> ROW = (rs, ctx) -> {
        ComputeKind kind = ComputeKind.parse("kind", rs.getString(2));
        Optional<KubernetesSettings> settings = kind == ComputeKind.KUBERNETES
                ? Optional.of(readSettings(rs.getString(4))) : Optional.empty();
        return new ComputeTarget(rs.getString(1), kind, rs.getInt(3), settings, rs.getString(5), rs.getLong(6), rs.getLong(7), false);
    };

    private final Database database;

    public JdbcComputeStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean create(String workspace, ComputeTarget target) {
        return database.write(handle -> handle.createUpdate("""
                        INSERT INTO compute_targets (workspace, name, kind, max_concurrent_jobs, settings, description, created_at, updated_at)
                        VALUES (:workspace, :name, :kind, :max, :settings, :description, :createdAt, :updatedAt)
                        ON CONFLICT (workspace, name) DO NOTHING
                        """)
                .bind("workspace", workspace)
                .bind("name", target.name())
                .bind("kind", target.kind().wireName())
                .bind("max", target.maxConcurrentJobs())
                .bind("settings", writeSettings(target))
                .bind("description", target.description())
                .bind("createdAt", target.createdAt())
                .bind("updatedAt", target.updatedAt())
                .execute() == 1);
    }

    @Override
    public boolean update(String workspace, ComputeTarget target) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE compute_targets SET max_concurrent_jobs = :max, settings = :settings, description = :description,
                               updated_at = :updatedAt
                        WHERE workspace = :workspace AND name = :name
                        """)
                .bind("workspace", workspace)
                .bind("name", target.name())
                .bind("max", target.maxConcurrentJobs())
                .bind("settings", writeSettings(target))
                .bind("description", target.description())
                .bind("updatedAt", target.updatedAt())
                .execute() == 1);
    }

    @Override
    public boolean delete(String workspace, String name) {
        return database.write(handle -> handle.createUpdate("DELETE FROM compute_targets WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).execute() == 1);
    }

    @Override
    public List<ComputeTarget> list(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM compute_targets WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace).map(ROW).list());
    }

    @Override
    public Optional<ComputeTarget> get(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM compute_targets WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).map(ROW).findOne());
    }

    private static String writeSettings(ComputeTarget target) {
        try {
            return Json.mapper().writeValueAsString(target.kubernetes().orElse(null));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KubernetesSettings readSettings(String json) {
        try {
            return Json.mapper().readValue(json, KubernetesSettings.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
