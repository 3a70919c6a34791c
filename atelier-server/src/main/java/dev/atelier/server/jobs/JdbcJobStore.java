package dev.atelier.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link JobStore} on SQLite or PostgreSQL. Thread-safe. */
final class JdbcJobStore implements JobStore {
    private static final String COLUMNS = """
            workspace, name, queue_seq, job_type, status, compute, parent_job, trial_index, spec, experiment_id, run_id, snapshot_id,
            created_by, created_at, prepared_at, started_at, ended_at, exit_code, reason, result, cancel_requested, lease_owner
            """;
    private static final String ACTIVE = "('Preparing', 'Running')";
    private static final RowMapper<Job> ROW = (rs, ctx) -> {
        JsonNode spec = json(rs.getString(9));
        return new Job(rs.getString(2), JobType.parse(rs.getString(4)), JobStatus.parse(rs.getString(5)), rs.getString(6),
                spec.path("display_name").isTextual() ? spec.path("display_name").asText() : null,
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(7), integer(rs, 8), rs.getString(13), rs.getLong(14),
                longValue(rs, 15), longValue(rs, 16), longValue(rs, 17), integer(rs, 18), rs.getString(19),
                rs.getString(20) == null ? null : json(rs.getString(20)), spec, rs.getLong(3), rs.getInt(21) != 0, rs.getString(22),
                rs.getString(1));
    };

    private final Database database;

    JdbcJobStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean insert(Job job) {
        return database.write(handle -> {
            // A counter row, not MAX(queue_seq) + 1: servers inserting at once would read the same maximum (V28).
            long seq = handle.createQuery("UPDATE id_counters SET next = next + 1 WHERE name = 'job_queue' RETURNING next - 1")
                    .mapTo(Long.class).one();
            return handle.createUpdate("""
                            INSERT INTO jobs (workspace, name, queue_seq, job_type, status, compute, parent_job, trial_index, spec,
                                              experiment_id, run_id, snapshot_id, created_by, created_at, cancel_requested)
                            VALUES (:workspace, :name, :seq, :type, 'Queued', :compute, :parent, :trial, :spec, :experiment, :run,
                                    :snapshot, :createdBy, :createdAt, 0)
                            ON CONFLICT (workspace, name) DO NOTHING
                            """)
                    .bind("workspace", job.workspace())
                    .bind("name", job.name())
                    .bind("seq", seq)
                    .bind("type", job.type().wireName())
                    .bind("compute", job.compute())
                    .bind("parent", job.parentJob())
                    .bind("trial", job.trialIndex())
                    .bind("spec", job.spec().toString())
                    .bind("experiment", job.experimentId())
                    .bind("run", job.runId())
                    .bind("snapshot", job.snapshotId())
                    .bind("createdBy", job.createdBy())
                    .bind("createdAt", job.createdAt())
                    .execute() == 1;
        });
    }

    @Override
    public Optional<Job> get(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).map(ROW).findOne());
    }

    @Override
    public List<Job> list(String workspace, Optional<String> parentJob, int limit) {
        String parent = parentJob.isPresent() ? " AND parent_job = :parent" : "";
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE workspace = :workspace" + parent
                        + " ORDER BY queue_seq DESC LIMIT :limit")
                .bind("workspace", workspace).bind("parent", parentJob.orElse(null)).bind("limit", limit).map(ROW).list());
    }

    @Override
    public List<Job> page(String workspace, Optional<JobStatus> status, Optional<JobType> type, Optional<Long> beforeSeq, int limit) {
        String where = (status.isPresent() ? " AND status = :status" : "") + (type.isPresent() ? " AND job_type = :type" : "")
                + (beforeSeq.isPresent() ? " AND queue_seq < :before" : "");
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE workspace = :workspace"
                        + " AND parent_job IS NULL" + where + " ORDER BY queue_seq DESC LIMIT :limit")
                .bind("workspace", workspace).bind("status", status.map(JobStatus::wireName).orElse(null))
                .bind("type", type.map(JobType::wireName).orElse(null)).bind("before", beforeSeq.orElse(0L)).bind("limit", limit).map(ROW).list());
    }

    @Override
    public List<Job> queued(int limit) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM jobs WHERE status = 'Queued' ORDER BY queue_seq LIMIT :limit")
                .bind("limit", limit).map(ROW).list());
    }

    @Override
    public List<Job> heldBy(String owner) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE lease_owner = :owner AND status IN "
                        + ACTIVE + " ORDER BY queue_seq")
                .bind("owner", owner).map(ROW).list());
    }

    @Override
    public int countActive(String workspace, String compute) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM jobs WHERE workspace = :workspace AND compute = :compute "
                        + "AND job_type = 'command' AND status IN " + ACTIVE)
                .bind("workspace", workspace).bind("compute", compute).mapTo(Integer.class).one());
    }

    @Override
    public java.util.Map<JobStatus, Long> countByStatus() {
        java.util.Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
        database.read(handle -> handle.createQuery("SELECT status, COUNT(*) AS jobs FROM jobs GROUP BY status")
                .map((rs, ctx) -> counts.put(JobStatus.parse(rs.getString("status")), rs.getLong("jobs"))).list());
        return counts;
    }

    @Override
    public boolean claim(String workspace, String name, String owner, long now, long leaseExpires) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = 'Preparing', prepared_at = :now, lease_owner = :owner, lease_expires = :expires
                        WHERE workspace = :workspace AND name = :name AND status = 'Queued'
                        """)
                .bind("workspace", workspace).bind("name", name).bind("owner", owner).bind("now", now).bind("expires", leaseExpires)
                .execute() == 1);
    }

    @Override
    public boolean claimWithin(String workspace, String name, String compute, int maxActive, String owner, long now, long leaseExpires) {
        return database.write(handle -> {
            if (database.dialect() == Database.Dialect.POSTGRESQL) {
                // Servers claiming on one target queue here until this transaction ends; SQLite's writes are serial already.
                handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:key))) AS target_lock")
                        .bind("key", "jobs/" + workspace + "/" + compute).mapTo(Integer.class).one();
            }
            int active = handle.createQuery("SELECT COUNT(*) FROM jobs WHERE workspace = :workspace AND compute = :compute "
                            + "AND job_type = 'command' AND status IN " + ACTIVE)
                    .bind("workspace", workspace).bind("compute", compute).mapTo(Integer.class).one();
            if (active >= maxActive) {
                return false;
            }
            return handle.createUpdate("""
                            UPDATE jobs SET status = 'Preparing', prepared_at = :now, lease_owner = :owner, lease_expires = :expires
                            WHERE workspace = :workspace AND name = :name AND status = 'Queued'
                            """)
                    .bind("workspace", workspace).bind("name", name).bind("owner", owner).bind("now", now).bind("expires", leaseExpires)
                    .execute() == 1;
        });
    }

    @Override
    public void renewLeases(String owner, long leaseExpires) {
        database.writeVoid(handle -> handle.createUpdate("UPDATE jobs SET lease_expires = :expires WHERE lease_owner = :owner AND status IN "
                        + ACTIVE)
                .bind("owner", owner).bind("expires", leaseExpires).execute());
    }

    @Override
    public boolean markRunning(String workspace, String name, String owner, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = 'Running', started_at = :now
                        WHERE workspace = :workspace AND name = :name AND status = 'Preparing' AND lease_owner = :owner
                        """)
                .bind("workspace", workspace).bind("name", name).bind("owner", owner).bind("now", now).execute() == 1);
    }

    @Override
    public boolean finish(String workspace, String name, Optional<String> owner, JobStatus status, long now, Integer exitCode,
                          String reason, String result) {
        String condition = owner.isPresent() ? "lease_owner = :owner AND status IN " + ACTIVE : "status = 'Queued'";
        return database.write(handle -> handle.createUpdate("UPDATE jobs SET status = :status, ended_at = :now, exit_code = :exitCode, "
                        + "reason = :reason, result = :result, lease_owner = NULL, lease_expires = NULL "
                        + "WHERE workspace = :workspace AND name = :name AND " + condition)
                .bind("workspace", workspace).bind("name", name).bind("owner", owner.orElse(null)).bind("status", status.wireName())
                .bind("now", now).bind("exitCode", exitCode).bind("reason", reason).bind("result", result)
                .execute() == 1);
    }

    @Override
    public boolean progress(String workspace, String name, String owner, String result) {
        return database.write(handle -> handle.createUpdate("UPDATE jobs SET result = :result "
                        + "WHERE workspace = :workspace AND name = :name AND lease_owner = :owner AND status IN " + ACTIVE)
                .bind("workspace", workspace).bind("name", name).bind("owner", owner).bind("result", result).execute() == 1);
    }

    @Override
    public boolean release(String workspace, String name, String owner) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = 'Queued', lease_owner = NULL, lease_expires = NULL
                        WHERE workspace = :workspace AND name = :name AND lease_owner = :owner
                        """)
                .bind("workspace", workspace).bind("name", name).bind("owner", owner).execute() == 1);
    }

    @Override
    public boolean finishExpired(String workspace, String name, String expectedOwner, long now, JobStatus status, String reason) {
        return database.write(handle -> handle.createUpdate("UPDATE jobs SET status = :status, ended_at = :now, reason = :reason, "
                        + "lease_owner = NULL, lease_expires = NULL WHERE workspace = :workspace AND name = :name "
                        + "AND lease_owner = :owner AND lease_expires < :now AND status IN " + ACTIVE)
                .bind("workspace", workspace).bind("name", name).bind("owner", expectedOwner).bind("status", status.wireName())
                .bind("now", now).bind("reason", reason)
                .execute() == 1);
    }

    @Override
    public boolean releaseExpired(String workspace, String name, String expectedOwner, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = 'Queued', lease_owner = NULL, lease_expires = NULL
                        WHERE workspace = :workspace AND name = :name AND lease_owner = :owner AND lease_expires < :now
                        """)
                .bind("workspace", workspace).bind("name", name).bind("owner", expectedOwner).bind("now", now).execute() == 1);
    }

    @Override
    public long databaseTime() {
        return database.now();
    }

    @Override
    public void requestCancel(String workspace, String name, String reason) {
        database.writeVoid(handle -> handle.createUpdate("UPDATE jobs SET cancel_requested = 1, reason = :reason "
                        + "WHERE workspace = :workspace AND name = :name AND status IN ('Queued', 'Preparing', 'Running')")
                .bind("workspace", workspace).bind("name", name).bind("reason", reason).execute());
    }

    @Override
    public List<Job> expired(long now) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE status IN " + ACTIVE
                        + " AND lease_expires < :now ORDER BY queue_seq")
                .bind("now", now).map(ROW).list());
    }

    @Override
    public boolean takeOver(String workspace, String name, String expectedOwner, String newOwner, long now, long leaseExpires) {
        return database.write(handle -> handle.createUpdate("UPDATE jobs SET lease_owner = :newOwner, lease_expires = :expires "
                        + "WHERE workspace = :workspace AND name = :name AND lease_owner = :expected AND lease_expires < :now "
                        + "AND status IN " + ACTIVE)
                .bind("workspace", workspace).bind("name", name).bind("expected", expectedOwner).bind("newOwner", newOwner)
                .bind("now", now).bind("expires", leaseExpires).execute() == 1);
    }

    @Override
    public void appendLogs(String workspace, String name, List<JobLogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        database.writeVoid(handle -> {
            // The job's row numbers its lines (V28): concurrent appends wait on its row lock instead of reading one MAX(seq).
            Optional<Long> end = handle.createQuery("""
                            UPDATE jobs SET log_seq = log_seq + :count WHERE workspace = :workspace AND name = :name RETURNING log_seq
                            """)
                    .bind("count", lines.size()).bind("workspace", workspace).bind("name", name).mapTo(Long.class).findOne();
            if (end.isEmpty()) {
                return; // the job was deleted
            }
            long last = end.get() - lines.size();
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO job_log_lines (workspace, job_name, seq, stream, logged_at, line)
                    VALUES (:workspace, :name, :seq, :stream, :time, :line)
                    """);
            for (JobLogLine line : lines) {
                batch.bind("workspace", workspace).bind("name", name).bind("seq", ++last).bind("stream", line.stream())
                        .bind("time", line.time()).bind("line", line.line()).add();
            }
            batch.execute();
        });
    }

    @Override
    public long lastLogAt(String workspace, String name) {
        return database.read(handle -> handle.createQuery("""
                        SELECT logged_at FROM job_log_lines WHERE workspace = :workspace AND job_name = :name ORDER BY seq DESC LIMIT 1
                        """)
                .bind("workspace", workspace).bind("name", name).mapTo(Long.class).findOne().orElse(0L));
    }

    @Override
    public List<JobLogLine> logs(String workspace, String name, long afterSeq, int limit) {
        return database.read(handle -> handle.createQuery("""
                        SELECT seq, stream, logged_at, line FROM job_log_lines
                        WHERE workspace = :workspace AND job_name = :name AND seq > :after ORDER BY seq LIMIT :limit
                        """)
                .bind("workspace", workspace).bind("name", name).bind("after", afterSeq).bind("limit", limit)
                .map((rs, ctx) -> new JobLogLine(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .list());
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Long longValue(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
