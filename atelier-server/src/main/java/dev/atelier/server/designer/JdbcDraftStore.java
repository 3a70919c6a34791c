package dev.atelier.server.designer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link DraftStore} on SQLite or PostgreSQL (migration V25). Thread-safe. */
final class JdbcDraftStore implements DraftStore {
    private static final RowMapper<DraftSummary> SUMMARY = (rs, ctx) -> new DraftSummary(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getInt(4), rs.getLong(5), rs.getLong(6));

    private final Database database;

    JdbcDraftStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void create(String workspace, String id, String name, String owner, ObjectNode document, long now) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            INSERT INTO designer_drafts (workspace, id, name, owner, latest_version, created_at, updated_at)
                            VALUES (:workspace, :id, :name, :owner, 1, :now, :now)
                            """)
                    .bind("workspace", workspace).bind("id", id).bind("name", name).bind("owner", owner).bind("now", now).execute();
            insertVersion(handle, workspace, id, 1, document, now);
        });
    }

    @Override
    public Optional<Draft> get(String workspace, String id, Optional<Integer> version) {
        return database.read(handle -> handle.createQuery("""
                        SELECT d.name, d.owner, v.version, d.latest_version, v.document, d.created_at, d.updated_at
                        FROM designer_drafts d JOIN designer_draft_versions v ON v.workspace = d.workspace AND v.id = d.id
                        WHERE d.workspace = :workspace AND d.id = :id AND v.version =\s"""
                        + (version.isPresent() ? ":version" : "d.latest_version"))
                .bind("workspace", workspace).bind("id", id).bind("version", version.orElse(0))
                .map((rs, ctx) -> new Draft(workspace, id, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        document(rs.getString(5)), rs.getLong(6), rs.getLong(7)))
                .findOne());
    }

    @Override
    public List<DraftSummary> list(String workspace) {
        return database.read(handle -> handle.createQuery("""
                        SELECT id, name, owner, latest_version, created_at, updated_at FROM designer_drafts
                        WHERE workspace = :workspace ORDER BY updated_at DESC, id
                        """)
                .bind("workspace", workspace).map(SUMMARY).list());
    }

    @Override
    public boolean save(String workspace, String id, int baseVersion, String name, ObjectNode document, long now) {
        return database.write(handle -> {
            boolean moved = handle.createUpdate("""
                            UPDATE designer_drafts SET latest_version = :next, name = :name, updated_at = :now
                            WHERE workspace = :workspace AND id = :id AND latest_version = :base
                            """)
                    .bind("workspace", workspace).bind("id", id).bind("base", baseVersion).bind("next", baseVersion + 1)
                    .bind("name", name).bind("now", now).execute() == 1;
            if (moved) {
                insertVersion(handle, workspace, id, baseVersion + 1, document, now);
            }
            return moved;
        });
    }

    @Override
    public boolean delete(String workspace, String id) {
        return database.write(handle -> {
            handle.createUpdate("DELETE FROM designer_draft_versions WHERE workspace = :workspace AND id = :id")
                    .bind("workspace", workspace).bind("id", id).execute();
            return handle.createUpdate("DELETE FROM designer_drafts WHERE workspace = :workspace AND id = :id")
                    .bind("workspace", workspace).bind("id", id).execute() == 1;
        });
    }

    private static void insertVersion(Handle handle, String workspace, String id, int version, ObjectNode document, long now) {
        handle.createUpdate("""
                        INSERT INTO designer_draft_versions (workspace, id, version, document, saved_at)
                        VALUES (:workspace, :id, :version, :document, :now)
                        """)
                .bind("workspace", workspace).bind("id", id).bind("version", version).bind("document", document.toString())
                .bind("now", now).execute();
    }

    private static ObjectNode document(String text) {
        try {
            return (ObjectNode) Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
