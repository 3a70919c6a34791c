package dev.atelier.server.workspace;

import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link WorkspaceStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcWorkspaceStore implements WorkspaceStore {
    private final Database database;

    public JdbcWorkspaceStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean createWorkspace(Workspace workspace) {
        return database.write(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO workspaces (name, description, creation_time, last_update_time, next_experiment_id)
                            VALUES (:name, :description, :time, :time, 0)
                            ON CONFLICT (name) DO NOTHING
                            """)
                    .bind("name", workspace.name())
                    .bind("description", workspace.description())
                    .bind("time", workspace.creationTime())
                    .execute();
            if (inserted == 0) {
                return false;
            }
            workspace.tags().forEach((key, value) -> upsertTag(handle, workspace.name(), key, value));
            return true;
        });
    }

    @Override
    public Optional<Workspace> getWorkspace(String name) {
        return database.read(handle -> handle.createQuery("""
                        SELECT name, description, creation_time, last_update_time FROM workspaces WHERE name = :name
                        """)
                .bind("name", name)
                .map((rs, ctx) -> new Workspace(rs.getString(1), rs.getString(2), tags(handle, name), rs.getLong(3), rs.getLong(4)))
                .findOne());
    }

    @Override
    public List<Workspace> listWorkspaces() {
        return database.read(handle -> {
            Map<String, Map<String, String>> tags = new HashMap<>();
            handle.createQuery("SELECT workspace, key, value FROM workspace_tags")
                    .map((rs, ctx) -> tags.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3)))
                    .list();
            return handle.createQuery("SELECT name, description, creation_time, last_update_time FROM workspaces ORDER BY name")
                    .map((rs, ctx) -> new Workspace(rs.getString(1), rs.getString(2),
                            tags.getOrDefault(rs.getString(1), Map.of()), rs.getLong(3), rs.getLong(4)))
                    .list();
        });
    }

    @Override
    public boolean updateWorkspace(String name, Optional<String> description, Map<String, String> tags, long updateTime) {
        return database.write(handle -> {
            int updated = handle.createUpdate("""
                            UPDATE workspaces SET description = COALESCE(:description, description), last_update_time = :time
                            WHERE name = :name
                            """)
                    .bind("name", name)
                    .bind("description", description.orElse(null))
                    .bind("time", updateTime)
                    .execute();
            if (updated == 0) {
                return false;
            }
            tags.forEach((key, value) -> {
                if (value == null) {
                    handle.createUpdate("DELETE FROM workspace_tags WHERE workspace = :workspace AND key = :key")
                            .bind("workspace", name).bind("key", key).execute();
                } else {
                    upsertTag(handle, name, key, value);
                }
            });
            return true;
        });
    }

    @Override
    public boolean deleteWorkspace(String name) {
        return database.write(handle -> handle.createUpdate("DELETE FROM workspaces WHERE name = :name")
                .bind("name", name)
                .execute() > 0);
    }

    private static Map<String, String> tags(Handle handle, String workspace) {
        Map<String, String> tags = new HashMap<>();
        handle.createQuery("SELECT key, value FROM workspace_tags WHERE workspace = :workspace")
                .bind("workspace", workspace)
                .map((rs, ctx) -> tags.put(rs.getString(1), rs.getString(2)))
                .list();
        return tags;
    }

    private static void upsertTag(Handle handle, String workspace, String key, String value) {
        handle.createUpdate("""
                        INSERT INTO workspace_tags (workspace, key, value) VALUES (:workspace, :key, :value)
                        ON CONFLICT (workspace, key) DO UPDATE SET value = excluded.value
                        """)
                .bind("workspace", workspace).bind("key", key).bind("value", value)
                .execute();
    }
}
