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
                                                       created_by, created_at, updated_at, schedule_checked_at)
                        VALUES (:workspace, :name, :owner, :compute, :document, :state, :message, :lastActivity, :createdBy,
                                :createdAt, :updatedAt, :createdAt)
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
    public boolean claim(String workspace, String name, String runner, long leaseUntil, long at) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET runner = :runner, lease_until = :lease, state = :creating, state_message = NULL,
                                                     updated_at = :at
                        WHERE workspace = :workspace AND name = :name
                          AND (state IN (:stopped, :failed) OR runner IS NULL OR lease_until < :at)
                        """)
                .bind("workspace", workspace).bind("name", name).bind("runner", runner).bind("lease", leaseUntil).bind("at", at)
                .bind("creating", InstanceState.CREATING.wireName()).bind("stopped", InstanceState.STOPPED.wireName())
                .bind("failed", InstanceState.FAILED.wireName())
                .execute() == 1);
    }

    @Override
    public boolean markRunning(String workspace, String name, String runner, long at) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET state = :running, state_message = NULL, updated_at = :at
                        WHERE workspace = :workspace AND name = :name AND runner = :runner AND state = :creating
                        """)
                .bind("workspace", workspace).bind("name", name).bind("runner", runner).bind("at", at)
                .bind("running", InstanceState.RUNNING.wireName()).bind("creating", InstanceState.CREATING.wireName())
                .execute() == 1);
    }

    @Override
    public void renew(String runner, long leaseUntil) {
        database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET lease_until = :lease
                        WHERE runner = :runner AND state NOT IN (:stopped, :failed) AND lease_until < :lease
                        """)
                .bind("runner", runner).bind("lease", leaseUntil)
                .bind("stopped", InstanceState.STOPPED.wireName()).bind("failed", InstanceState.FAILED.wireName())
                .execute());
    }

    @Override
    public List<ComputeInstance> lapsed(long at) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM compute_instances"
                        + " WHERE state NOT IN (:stopped, :failed) AND lease_until < :at ORDER BY workspace, name")
                .bind("at", at).bind("stopped", InstanceState.STOPPED.wireName()).bind("failed", InstanceState.FAILED.wireName())
                .map(ROW).list());
    }

    @Override
    public boolean reap(String workspace, String name, long at, String message) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET state = :stopped, state_message = :message, runner = NULL, updated_at = :at
                        WHERE workspace = :workspace AND name = :name AND state NOT IN (:stopped, :failed) AND lease_until < :at
                        """)
                .bind("workspace", workspace).bind("name", name).bind("at", at).bind("message", message)
                .bind("stopped", InstanceState.STOPPED.wireName()).bind("failed", InstanceState.FAILED.wireName())
                .execute() == 1);
    }

    @Override
    public Optional<String> runner(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT runner FROM compute_instances WHERE workspace = :workspace AND name = :name"
                        + " AND state NOT IN (:stopped, :failed)")
                .bind("workspace", workspace).bind("name", name)
                .bind("stopped", InstanceState.STOPPED.wireName()).bind("failed", InstanceState.FAILED.wireName())
                .mapTo(String.class).findOne());
    }

    @Override
    public boolean claimSchedules(String workspace, String name, long since, long until) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE compute_instances SET schedule_checked_at = :until
                        WHERE workspace = :workspace AND name = :name AND schedule_checked_at = :since
                        """)
                .bind("workspace", workspace).bind("name", name).bind("since", since).bind("until", until)
                .execute() == 1);
    }

    @Override
    public long schedulesCheckedAt(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT schedule_checked_at FROM compute_instances"
                        + " WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).mapTo(Long.class).findOne().orElse(0L));
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
