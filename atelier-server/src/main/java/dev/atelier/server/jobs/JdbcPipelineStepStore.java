package dev.atelier.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link PipelineStepStore} on SQLite or PostgreSQL. Thread-safe. */
final class JdbcPipelineStepStore implements PipelineStepStore {
    private static final String COLUMNS = "step, status, job_name, run_id, reuse_key, reused_from, outputs, updated_at";
    private static final TypeReference<Map<String, String>> OUTPUTS = new TypeReference<>() { };
    private static final RowMapper<PipelineStep> ROW = (rs, ctx) -> new PipelineStep(rs.getString(1), StepStatus.parse(rs.getString(2)),
            Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
            Optional.ofNullable(rs.getString(6)), outputs(rs.getString(7)), rs.getLong(8));

    private final Database database;

    JdbcPipelineStepStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void ensure(String workspace, String pipeline, List<String> steps, long now) {
        database.writeVoid(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO pipeline_steps (workspace, pipeline, step, status, outputs, updated_at)
                    VALUES (:workspace, :pipeline, :step, 'Queued', '{}', :now)
                    ON CONFLICT (workspace, pipeline, step) DO NOTHING
                    """);
            for (String step : steps) {
                batch.bind("workspace", workspace).bind("pipeline", pipeline).bind("step", step).bind("now", now).add();
            }
            batch.execute();
        });
    }

    @Override
    public List<PipelineStep> list(String workspace, String pipeline) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM pipeline_steps "
                        + "WHERE workspace = :workspace AND pipeline = :pipeline ORDER BY step")
                .bind("workspace", workspace).bind("pipeline", pipeline).map(ROW).list());
    }

    @Override
    public void update(String workspace, String pipeline, List<PipelineStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        database.writeVoid(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    UPDATE pipeline_steps SET status = :status, job_name = :job, run_id = :run, reuse_key = :key,
                           reused_from = :reusedFrom, outputs = :outputs, updated_at = :now
                    WHERE workspace = :workspace AND pipeline = :pipeline AND step = :step
                    """);
            for (PipelineStep step : steps) {
                batch.bind("workspace", workspace).bind("pipeline", pipeline).bind("step", step.step())
                        .bind("status", step.status().wireName()).bind("job", step.jobName().orElse(null))
                        .bind("run", step.runId().orElse(null)).bind("key", step.reuseKey().orElse(null))
                        .bind("reusedFrom", step.reusedFrom().orElse(null)).bind("outputs", write(step.outputs()))
                        .bind("now", step.updatedAt()).add();
            }
            batch.execute();
        });
    }

    @Override
    public Optional<PipelineStep> completed(String workspace, String reuseKey) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM pipeline_steps "
                        + "WHERE workspace = :workspace AND reuse_key = :key AND status = 'Completed' ORDER BY updated_at LIMIT 1")
                .bind("workspace", workspace).bind("key", reuseKey).map(ROW).findFirst());
    }

    private static String write(Map<String, String> outputs) {
        try {
            return Json.mapper().writeValueAsString(outputs);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> outputs(String json) {
        try {
            return Json.mapper().readValue(json, OUTPUTS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
