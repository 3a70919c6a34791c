package dev.atelier.server.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link BatchStore} on SQLite or PostgreSQL (V21). Thread-safe. */
final class JdbcBatchStore implements BatchStore {
    private static final String ENDPOINT_COLUMNS = "workspace, name, description, auth_mode, default_deployment, tags, created_by, "
            + "created_at, updated_at";
    private static final RowMapper<BatchEndpoint> ENDPOINT = (rs, ctx) -> new BatchEndpoint(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5)), tags(rs.getString(6)), rs.getString(7), rs.getLong(8),
            rs.getLong(9));
    private static final RowMapper<MiniBatchResult> MINI_BATCH = (rs, ctx) -> new MiniBatchResult(rs.getInt(1), rs.getInt(2),
            "done".equals(rs.getString(3)), rs.getLong(4), rs.getInt(5), Optional.ofNullable(rs.getString(6)), rs.getLong(7));

    private final Database database;

    JdbcBatchStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean createEndpoint(BatchEndpoint endpoint) {
        return database.write(handle -> {
            if (handle.createQuery("SELECT COUNT(*) FROM batch_endpoints WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", endpoint.workspace()).bind("name", endpoint.name()).mapTo(Integer.class).one() > 0) {
                return false;
            }
            handle.createUpdate("INSERT INTO batch_endpoints (" + ENDPOINT_COLUMNS + ") VALUES (:workspace, :name, :description, "
                            + ":authMode, :defaultDeployment, :tags, :createdBy, :createdAt, :updatedAt)")
                    .bind("workspace", endpoint.workspace()).bind("name", endpoint.name()).bind("description", endpoint.description())
                    .bind("authMode", endpoint.authMode()).bind("defaultDeployment", endpoint.defaultDeployment().orElse(null))
                    .bind("tags", json(endpoint.tags())).bind("createdBy", endpoint.createdBy()).bind("createdAt", endpoint.createdAt())
                    .bind("updatedAt", endpoint.updatedAt()).execute();
            return true;
        });
    }

    @Override
    public Optional<BatchEndpoint> getEndpoint(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + ENDPOINT_COLUMNS + " FROM batch_endpoints "
                        + "WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).map(ENDPOINT).findOne());
    }

    @Override
    public List<BatchEndpoint> listEndpoints(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + ENDPOINT_COLUMNS + " FROM batch_endpoints "
                        + "WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace).map(ENDPOINT).list());
    }

    @Override
    public boolean updateEndpoint(BatchEndpoint endpoint) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE batch_endpoints SET description = :description, auth_mode = :authMode,
                        default_deployment = :defaultDeployment, tags = :tags, updated_at = :updatedAt
                        WHERE workspace = :workspace AND name = :name
                        """)
                .bind("workspace", endpoint.workspace()).bind("name", endpoint.name()).bind("description", endpoint.description())
                .bind("authMode", endpoint.authMode()).bind("defaultDeployment", endpoint.defaultDeployment().orElse(null))
                .bind("tags", json(endpoint.tags())).bind("updatedAt", endpoint.updatedAt()).execute() == 1);
    }

    @Override
    public boolean deleteEndpoint(String workspace, String name) {
        return database.write(handle -> {
            handle.createUpdate("DELETE FROM batch_deployments WHERE workspace = :workspace AND endpoint = :name")
                    .bind("workspace", workspace).bind("name", name).execute();
            return handle.createUpdate("DELETE FROM batch_endpoints WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", name).execute() == 1;
        });
    }

    @Override
    public void putDeployment(BatchDeployment deployment, boolean makeDefault) {
        database.writeVoid(handle -> {
            handle.createUpdate("DELETE FROM batch_deployments WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name")
                    .bind("workspace", deployment.workspace()).bind("endpoint", deployment.endpoint()).bind("name", deployment.name())
                    .execute();
            handle.createUpdate("""
                            INSERT INTO batch_deployments (workspace, endpoint, name, document, created_at, updated_at)
                            VALUES (:workspace, :endpoint, :name, :document, :createdAt, :updatedAt)
                            """)
                    .bind("workspace", deployment.workspace()).bind("endpoint", deployment.endpoint()).bind("name", deployment.name())
                    .bind("document", BatchJson.deployment(deployment).toString()).bind("createdAt", deployment.createdAt())
                    .bind("updatedAt", deployment.updatedAt()).execute();
            if (makeDefault) {
                handle.createUpdate("UPDATE batch_endpoints SET default_deployment = :name WHERE workspace = :workspace AND name = :endpoint")
                        .bind("workspace", deployment.workspace()).bind("endpoint", deployment.endpoint()).bind("name", deployment.name())
                        .execute();
            }
        });
    }

    @Override
    public Optional<BatchDeployment> getDeployment(String workspace, String endpoint, String name) {
        return database.read(handle -> handle.createQuery("SELECT document FROM batch_deployments "
                        + "WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name")
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("name", name).mapTo(String.class).findOne())
                .map(document -> deployment(workspace, document));
    }

    @Override
    public List<BatchDeployment> listDeployments(String workspace, String endpoint) {
        return database.read(handle -> handle.createQuery("SELECT document FROM batch_deployments "
                        + "WHERE workspace = :workspace AND endpoint = :endpoint ORDER BY name")
                .bind("workspace", workspace).bind("endpoint", endpoint).mapTo(String.class).list())
                .stream().map(document -> deployment(workspace, document)).toList();
    }

    @Override
    public boolean deleteDeployment(String workspace, String endpoint, String name) {
        return database.write(handle -> {
            handle.createUpdate("UPDATE batch_endpoints SET default_deployment = NULL WHERE workspace = :workspace AND name = :endpoint "
                            + "AND default_deployment = :name")
                    .bind("workspace", workspace).bind("endpoint", endpoint).bind("name", name).execute();
            return handle.createUpdate("DELETE FROM batch_deployments WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name")
                    .bind("workspace", workspace).bind("endpoint", endpoint).bind("name", name).execute() == 1;
        });
    }

    @Override
    public void addJob(String workspace, String jobName, String endpoint, String deployment, long now) {
        database.writeVoid(handle -> {
            if (handle.createQuery("SELECT COUNT(*) FROM batch_jobs WHERE workspace = :workspace AND job_name = :job")
                    .bind("workspace", workspace).bind("job", jobName).mapTo(Integer.class).one() == 0) {
                handle.createUpdate("""
                                INSERT INTO batch_jobs (workspace, job_name, endpoint, deployment, created_at)
                                VALUES (:workspace, :job, :endpoint, :deployment, :now)
                                """)
                        .bind("workspace", workspace).bind("job", jobName).bind("endpoint", endpoint).bind("deployment", deployment)
                        .bind("now", now).execute();
            }
        });
    }

    @Override
    public List<String> jobsOf(String workspace, String endpoint, int limit) {
        return database.read(handle -> handle.createQuery("SELECT job_name FROM batch_jobs WHERE workspace = :workspace "
                        + "AND endpoint = :endpoint ORDER BY created_at DESC, job_name LIMIT :limit")
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("limit", limit).mapTo(String.class).list());
    }

    @Override
    public Optional<String> output(String workspace, String jobName) {
        return database.read(handle -> handle.createQuery("SELECT output FROM batch_jobs WHERE workspace = :workspace AND job_name = :job")
                .bind("workspace", workspace).bind("job", jobName).mapTo(String.class).findOne().flatMap(Optional::ofNullable));
    }

    @Override
    public void setOutput(String workspace, String jobName, String output) {
        database.writeVoid(handle -> handle.createUpdate("UPDATE batch_jobs SET output = :output WHERE workspace = :workspace AND job_name = :job")
                .bind("workspace", workspace).bind("job", jobName).bind("output", output).execute());
    }

    @Override
    public boolean finishMiniBatch(String workspace, String jobName, MiniBatchResult result) {
        return database.write(handle -> {
            if (handle.createQuery("SELECT COUNT(*) FROM batch_mini_batches WHERE workspace = :workspace AND job_name = :job "
                            + "AND file_index = :file AND chunk = :chunk")
                    .bind("workspace", workspace).bind("job", jobName).bind("file", result.fileIndex()).bind("chunk", result.chunk())
                    .mapTo(Integer.class).one() > 0) {
                return false;
            }
            handle.createUpdate("""
                            INSERT INTO batch_mini_batches (workspace, job_name, file_index, chunk, state, item_count, attempts, error, finished_at)
                            VALUES (:workspace, :job, :file, :chunk, :state, :items, :attempts, :error, :finishedAt)
                            """)
                    .bind("workspace", workspace).bind("job", jobName).bind("file", result.fileIndex()).bind("chunk", result.chunk())
                    .bind("state", result.done() ? "done" : "failed").bind("items", result.items()).bind("attempts", result.attempts())
                    .bind("error", result.error().orElse(null)).bind("finishedAt", result.finishedAt()).execute();
            return true;
        });
    }

    @Override
    public List<MiniBatchResult> miniBatches(String workspace, String jobName) {
        return database.read(handle -> handle.createQuery("""
                        SELECT file_index, chunk, state, item_count, attempts, error, finished_at FROM batch_mini_batches
                        WHERE workspace = :workspace AND job_name = :job ORDER BY file_index, chunk
                        """)
                .bind("workspace", workspace).bind("job", jobName).map(MINI_BATCH).list());
    }

    private static String json(Map<String, String> tags) {
        try {
            return Json.mapper().writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> tags(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BatchDeployment deployment(String workspace, String document) {
        try {
            return BatchJson.storedDeployment(workspace, Json.mapper().readTree(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
