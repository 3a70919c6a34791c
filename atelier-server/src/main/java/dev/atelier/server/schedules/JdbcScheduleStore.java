package dev.atelier.server.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link ScheduleStore} on SQLite or PostgreSQL. Thread-safe. */
final class JdbcScheduleStore implements ScheduleStore {
    private static final String COLUMNS = """
            workspace, name, document, enabled, next_fire_at, last_fired_at, last_job, last_error, created_by, created_at, updated_at
            """;
    private static final RowMapper<Schedule> ROW = (rs, ctx) -> new Schedule(rs.getString(1), rs.getString(2), document(rs.getString(3)),
            rs.getInt(4) != 0, longValue(rs, 5), longValue(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10),
            rs.getLong(11));
    private static final RowMapper<ScheduleFire> FIRE = (rs, ctx) -> new ScheduleFire(rs.getLong(1), rs.getLong(2), rs.getInt(3) != 0,
            rs.getString(4), rs.getString(5));

    private final Database database;

    JdbcScheduleStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean insert(Schedule schedule) {
        return database.write(handle -> handle.createUpdate("""
                        INSERT INTO schedules (workspace, name, document, enabled, next_fire_at, created_by, created_at, updated_at)
                        VALUES (:workspace, :name, :document, :enabled, :next, :createdBy, :createdAt, :createdAt)
                        ON CONFLICT (workspace, name) DO NOTHING
                        """)
                .bind("workspace", schedule.workspace())
                .bind("name", schedule.name())
                .bind("document", schedule.document().toString())
                .bind("enabled", schedule.enabled() ? 1 : 0)
                .bind("next", schedule.nextFireAt())
                .bind("createdBy", schedule.createdBy())
                .bind("createdAt", schedule.createdAt())
                .execute() == 1);
    }

    @Override
    public Optional<Schedule> get(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM schedules WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).map(ROW).findOne());
    }

    @Override
    public List<Schedule> list(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM schedules WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace).map(ROW).list());
    }

    @Override
    public List<Schedule> due(long now, int limit) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM schedules WHERE enabled = 1 AND next_fire_at <= :now ORDER BY next_fire_at, workspace, name LIMIT :limit")
                .bind("now", now).bind("limit", limit).map(ROW).list());
    }

    @Override
    public boolean claim(String workspace, String name, long expected, Long next, Optional<Long> firedDue, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE schedules SET next_fire_at = :next, last_fired_at = COALESCE(:fired, last_fired_at), updated_at = :now
                        WHERE workspace = :workspace AND name = :name AND enabled = 1 AND next_fire_at = :expected
                        """)
                .bind("workspace", workspace).bind("name", name).bind("expected", expected).bind("next", next)
                .bind("fired", firedDue.orElse(null)).bind("now", now)
                .execute() == 1);
    }

    @Override
    public boolean setEnabled(String workspace, String name, boolean enabled, Long next, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE schedules SET enabled = :enabled, next_fire_at = :next, updated_at = :now
                        WHERE workspace = :workspace AND name = :name
                        """)
                .bind("workspace", workspace).bind("name", name).bind("enabled", enabled ? 1 : 0).bind("next", next).bind("now", now)
                .execute() == 1);
    }

    @Override
    public void recordFire(String workspace, String name, ScheduleFire fire) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            INSERT INTO schedule_fires (workspace, schedule, due_at, fired_at, manual, job_name, error)
                            VALUES (:workspace, :schedule, :due, :fired, :manual, :job, :error)
                            """)
                    .bind("workspace", workspace).bind("schedule", name).bind("due", fire.dueAt()).bind("fired", fire.firedAt())
                    .bind("manual", fire.manual() ? 1 : 0).bind("job", fire.jobName()).bind("error", fire.error())
                    .execute();
            handle.createUpdate("""
                            UPDATE schedules SET last_job = :job, last_error = :error, updated_at = :fired
                            WHERE workspace = :workspace AND name = :schedule
                            """)
                    .bind("workspace", workspace).bind("schedule", name).bind("fired", fire.firedAt()).bind("job", fire.jobName())
                    .bind("error", fire.error())
                    .execute();
        });
    }

    @Override
    public List<ScheduleFire> fires(String workspace, String name, int limit) {
        return database.read(handle -> handle.createQuery("""
                        SELECT due_at, fired_at, manual, job_name, error FROM schedule_fires
                        WHERE workspace = :workspace AND schedule = :schedule ORDER BY fired_at DESC, due_at DESC LIMIT :limit
                        """)
                .bind("workspace", workspace).bind("schedule", name).bind("limit", limit).map(FIRE).list());
    }

    @Override
    public boolean delete(String workspace, String name) {
        return database.write(handle -> handle.createUpdate("DELETE FROM schedules WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).execute() == 1);
    }

    private static ObjectNode document(String text) {
        try {
            return (ObjectNode) Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Long longValue(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
