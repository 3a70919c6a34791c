package dev.atelier.server.notebooks;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link InstanceStore} on SQLite or PostgreSQL; the document is one JSON column ({@link InstanceDocuments}). Thread-safe. */
public final class JdbcInstanceStore implements InstanceStore {
    private static final String COLUMNS = "workspace, name, owner, compute, document, state, state_message, last_activity, created_by, "
            + "created_at, updated_at";
    private static final RowMapper<ComputeInstance> ROW = (rs, ctx) -> new ComputeInstance(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), InstanceDocuments.read(rs.getString(5)), InstanceState.parse(rs.getString(6)),
            Optional.ofNullable(rs.getString(7)), rs.getLong(8), rs.getString(9), rs.getLong(10), rs.getLong(11));

    private final Database database;

    public JdbcInstanceStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean create(ComputeInstance instance) {
        return database.write(handle -> handle.createUpdate("""
                        INSERT INTO compute_instances (workspace, name, owner, compute, document, state, state_message, last_activity,
                                                       created_by, created_at, updated_at)
                        VALUES (:workspace, :name, :owner, :compute, :document, :state, :message, :lastActivity, :createdBy,
                                :createdAt, :updatedAt)
                        ON CONFLICT (workspace, name) DO NOTHING
                        """)
                .bind("workspace", instance.workspace())
                .bind("name", instance.name())
                .bind("owner", instance.owner())
                .bind("compute", instance.compute())
                .bind("document", InstanceDocuments.write(instance.document()))
                .bind("state", instance.state().wireName())
                .bind("message", instance.stateMessage().orElse(null))
                .bind("lastActivity", instance.lastActivity())
                .bind("createdBy", instance.createdBy())
                .bind("createdAt", instance.createdAt())
                .bind("updatedAt", instance.updatedAt())
                .execute() == 1);
    }

    @Override
    public Optional<ComputeInstance> get(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM compute_instances WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).map(ROW).findOne());
    }

    @Override
    public List<ComputeInstance> list(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM compute_instances WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace).map(ROW).list());
    }

    @Override
    public List<ComputeInstance> listAll() {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM compute_instances ORDER BY workspace, name")
                .map(ROW).list());
    }

    @Override
    public boolean setState(String workspace, String name, InstanceState state, Optional<String> message, long at) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET state = :state, state_message = :message, updated_at = :at
                        WHERE workspace = :workspace AND name = :name
                        """)
                .bind("workspace", workspace).bind("name", name).bind("state", state.wireName())
                .bind("message", message.orElse(null)).bind("at", at)
                .execute() == 1);
    }

    @Override
    public void recordActivity(String workspace, String name, long at) {
        database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET last_activity = :at
                        WHERE workspace = :workspace AND name = :name AND last_activity < :at
                        """)
                .bind("workspace", workspace).bind("name", name).bind("at", at).execute());
    }

    @Override
    public boolean delete(String workspace, String name) {
        return database.write(handle -> handle.createUpdate("DELETE FROM compute_instances WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).execute() == 1);
    }
}
