package dev.atelier.server.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/** {@link EndpointStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcEndpointStore implements EndpointStore {
    private static final TypeReference<Map<String, Integer>> WEIGHTS = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() { };
    private static final String ENDPOINT_COLUMNS = "name, description, auth_mode, traffic, mirror_traffic, tags, created_by, created_at, "
            + "updated_at";
    private static final String DEPLOYMENT_COLUMNS = "endpoint, name, spec, generation, provisioning_state, error, created_at, updated_at";
    private static final RowMapper<Endpoint> ENDPOINT = (rs, ctx) -> new Endpoint(rs.getString(1), rs.getString(2),
            AuthMode.parse(rs.getString(3)), read(rs.getString(4), WEIGHTS), read(rs.getString(5), WEIGHTS), read(rs.getString(6), TAGS),
            rs.getString(7), rs.getLong(8), rs.getLong(9));
    private static final RowMapper<Deployment> DEPLOYMENT = (rs, ctx) -> new Deployment(rs.getString(1), rs.getString(2),
            DeploymentSpec.fromJson(readTree(rs.getString(3))), rs.getLong(4), ProvisioningState.parse(rs.getString(5)),
            Optional.ofNullable(rs.getString(6)), rs.getLong(7), rs.getLong(8));

    private final Database database;

    public JdbcEndpointStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean createEndpoint(String workspace, Endpoint endpoint) {
        return database.write(handle -> handle.createUpdate("INSERT INTO online_endpoints (workspace, " + ENDPOINT_COLUMNS + """
                        ) VALUES (:workspace, :name, :description, :authMode, :traffic, :mirror, :tags, :createdBy, :createdAt, :updatedAt)
                        ON CONFLICT (workspace, name) DO NOTHING
                        """)
                .bind("workspace", workspace).bind("name", endpoint.name()).bind("description", endpoint.description())
                .bind("authMode", endpoint.authMode().wireName()).bind("traffic", write(new TreeMap<>(endpoint.traffic())))
                .bind("mirror", write(new TreeMap<>(endpoint.mirrorTraffic()))).bind("tags", write(new TreeMap<>(endpoint.tags())))
                .bind("createdBy", endpoint.createdBy()).bind("createdAt", endpoint.createdAt()).bind("updatedAt", endpoint.updatedAt())
                .execute() == 1);
    }

    @Override
    public Optional<Endpoint> getEndpoint(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + ENDPOINT_COLUMNS
                        + " FROM online_endpoints WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).map(ENDPOINT).findOne());
    }

    @Override
    public List<Endpoint> listEndpoints(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + ENDPOINT_COLUMNS
                        + " FROM online_endpoints WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace).map(ENDPOINT).list());
    }

    @Override
    public List<ServedEndpoint> listServed() {
        return database.read(handle -> {
            Map<String, List<Deployment>> deployments = new LinkedHashMap<>();
            handle.createQuery("SELECT " + DEPLOYMENT_COLUMNS + ", workspace FROM online_deployments ORDER BY created_at, name")
                    .map((rs, ctx) -> Map.entry(rs.getString(9) + "/" + rs.getString(1), DEPLOYMENT.map(rs, ctx)))
                    .forEach(e -> deployments.computeIfAbsent(e.getKey(), key -> new ArrayList<>()).add(e.getValue()));
            return handle.createQuery("SELECT " + ENDPOINT_COLUMNS + ", workspace FROM online_endpoints ORDER BY workspace, name")
                    .map((rs, ctx) -> new ServedEndpoint(rs.getString(10), ENDPOINT.map(rs, ctx),
                            deployments.getOrDefault(rs.getString(10) + "/" + rs.getString(1), List.of())))
                    .list();
        });
    }

    @Override
    public void updateEndpoint(String workspace, Endpoint endpoint) {
        database.writeVoid(handle -> handle.createUpdate("""
                        UPDATE online_endpoints SET description = :description, traffic = :traffic, mirror_traffic = :mirror,
                               tags = :tags, updated_at = :updatedAt
                        WHERE workspace = :workspace AND name = :name
                        """)
                .bind("workspace", workspace).bind("name", endpoint.name()).bind("description", endpoint.description())
                .bind("traffic", write(new TreeMap<>(endpoint.traffic()))).bind("mirror", write(new TreeMap<>(endpoint.mirrorTraffic())))
                .bind("tags", write(new TreeMap<>(endpoint.tags()))).bind("updatedAt", endpoint.updatedAt())
                .execute());
    }

    @Override
    public boolean deleteEndpoint(String workspace, String name) {
        return database.write(handle -> {
            handle.createUpdate("DELETE FROM online_deployments WHERE workspace = :workspace AND endpoint = :name")
                    .bind("workspace", workspace).bind("name", name).execute();
            return handle.createUpdate("DELETE FROM online_endpoints WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", name).execute() == 1;
        });
    }

    @Override
    public Optional<Deployment> createDeployment(String workspace, Deployment deployment) {
        return database.write(handle -> {
            Deployment stored = deployment.atGeneration(nextGeneration(handle, workspace, deployment, 0));
            int inserted = handle.createUpdate("INSERT INTO online_deployments (workspace, " + DEPLOYMENT_COLUMNS + """
                            ) VALUES (:workspace, :endpoint, :name, :spec, :generation, :state, :error, :createdAt, :updatedAt)
                            ON CONFLICT (workspace, endpoint, name) DO NOTHING
                            """)
                    .bind("workspace", workspace).bind("endpoint", stored.endpoint()).bind("name", stored.name())
                    .bind("spec", stored.spec().toJson().toString()).bind("generation", stored.generation())
                    .bind("state", stored.state().wireName()).bind("error", stored.error().orElse(null))
                    .bind("createdAt", stored.createdAt()).bind("updatedAt", stored.updatedAt())
                    .execute();
            if (inserted == 0) {
                return Optional.<Deployment>empty();
            }
            recordGeneration(handle, workspace, stored);
            return Optional.of(stored);
        });
    }

    /** The generation after both the name's mark (the last generation it ever had) and {@code current}. */
    private static long nextGeneration(Handle handle, String workspace, Deployment deployment, long current) {
        long last = handle.createQuery("""
                        SELECT last FROM deployment_generations WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name
                        """)
                .bind("workspace", workspace).bind("endpoint", deployment.endpoint()).bind("name", deployment.name())
                .mapTo(Long.class).findOne().orElse(0L);
        return Math.max(last, current) + 1;
    }

    /** Moves the name's mark to the generation just stored, in the same transaction. */
    private static void recordGeneration(Handle handle, String workspace, Deployment stored) {
        handle.createUpdate("""
                        INSERT INTO deployment_generations (workspace, endpoint, name, last) VALUES (:workspace, :endpoint, :name, :last)
                        ON CONFLICT (workspace, endpoint, name) DO UPDATE SET last = :last
                        """)
                .bind("workspace", workspace).bind("endpoint", stored.endpoint()).bind("name", stored.name())
                .bind("last", stored.generation()).execute();
    }

    @Override
    public Optional<Deployment> getDeployment(String workspace, String endpoint, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + DEPLOYMENT_COLUMNS
                        + " FROM online_deployments WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name")
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("name", name).map(DEPLOYMENT).findOne());
    }

    @Override
    public List<Deployment> listDeployments(String workspace, String endpoint) {
        return database.read(handle -> handle.createQuery("SELECT " + DEPLOYMENT_COLUMNS
                        + " FROM online_deployments WHERE workspace = :workspace AND endpoint = :endpoint ORDER BY created_at, name")
                .bind("workspace", workspace).bind("endpoint", endpoint).map(DEPLOYMENT).list());
    }

    @Override
    public Optional<Deployment> updateDeployment(String workspace, Deployment deployment, long expectedGeneration) {
        return database.write(handle -> {
            Deployment stored = deployment.atGeneration(nextGeneration(handle, workspace, deployment, expectedGeneration));
            int updated = handle.createUpdate("""
                            UPDATE online_deployments SET spec = :spec, generation = :generation, provisioning_state = :state,
                                   error = :error, updated_at = :updatedAt
                            WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name AND generation = :expected
                            """)
                    .bind("workspace", workspace).bind("endpoint", stored.endpoint()).bind("name", stored.name())
                    .bind("spec", stored.spec().toJson().toString()).bind("generation", stored.generation())
                    .bind("state", stored.state().wireName()).bind("error", stored.error().orElse(null))
                    .bind("updatedAt", stored.updatedAt()).bind("expected", expectedGeneration)
                    .execute();
            if (updated == 0) {
                return Optional.<Deployment>empty();
            }
            recordGeneration(handle, workspace, stored);
            return Optional.of(stored);
        });
    }

    @Override
    public boolean recordState(String workspace, String endpoint, String name, long generation, ProvisioningState state,
                               Optional<String> error, long now) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE online_deployments SET provisioning_state = :state, error = :error, updated_at = :now
                        WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name AND generation = :generation
                        """)
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("name", name).bind("generation", generation)
                .bind("state", state.wireName()).bind("error", error.orElse(null)).bind("now", now)
                .execute() == 1);
    }

    @Override
    public boolean deleteDeployment(String workspace, String endpoint, String name) {
        return database.write(handle -> handle.createUpdate(
                        "DELETE FROM online_deployments WHERE workspace = :workspace AND endpoint = :endpoint AND name = :name")
                .bind("workspace", workspace).bind("endpoint", endpoint).bind("name", name).execute() == 1);
    }

    private static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored endpoint field is not JSON: " + json, e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored deployment spec is not JSON: " + json, e);
        }
    }
}
