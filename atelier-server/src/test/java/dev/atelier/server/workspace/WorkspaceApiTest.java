package dev.atelier.server.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The native workspace API and the isolation of workspaces on the MLflow API. */
class WorkspaceApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    @Test
    void defaultWorkspaceAlwaysExistsAndCannotBeDeleted() {
        assertThat(http.get("/api/v1/workspaces/default").json().get("name").asText()).isEqualTo("default");
        assertThat(http.send("DELETE", "/api/v1/workspaces/default?force=true", null).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void workspacesAreCreatedListedUpdatedAndDeleted() {
        HttpJson.Response created = http.post("/api/v1/workspaces", Map.of("name", "team-crud", "description", "first",
                "tags", Map.of("cost-center", "42")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().at("/tags/cost-center").asText()).isEqualTo("42");
        assertThat(http.post("/api/v1/workspaces", Map.of("name", "team-crud")).errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");

        Map<String, Object> tags = new HashMap<>();
        tags.put("cost-center", null);
        tags.put("owner", "ana");
        JsonNode updated = http.send("PATCH", "/api/v1/workspaces/team-crud", Map.of("description", "second", "tags", tags)).json();
        assertThat(updated.get("description").asText()).isEqualTo("second");
        assertThat(updated.get("tags").toString()).isEqualTo("{\"owner\":\"ana\"}");

        assertThat(http.get("/api/v1/workspaces").json().get("workspaces").toString()).contains("team-crud").contains("\"default\"");
        assertThat(http.send("DELETE", "/api/v1/workspaces/team-crud", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/workspaces/team-crud").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void invalidNamesAreRefused() {
        assertThat(http.post("/api/v1/workspaces", Map.of("name", "Bad Name")).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.post("/api/v1/workspaces", Map.of("name", "../x")).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void aWorkspaceWithDataNeedsForceToBeDeleted() {
        http.post("/api/v1/workspaces", Map.of("name", "team-full"));
        http.post("/w/team-full/api/2.0/mlflow/experiments/create", Map.of("name", "kept"));
        HttpJson.Response refused = http.send("DELETE", "/api/v1/workspaces/team-full", null);
        assertThat(refused.errorCode()).isEqualTo("INVALID_STATE");
        assertThat(refused.json().get("message").asText()).contains("force");
        assertThat(http.send("DELETE", "/api/v1/workspaces/team-full?force=true", null).status()).isEqualTo(200);
        assertThat(http.get("/w/team-full/api/2.0/mlflow/experiments/get?experiment_id=0").status()).isEqualTo(404);
    }

    @Test
    void experimentsAndRunsAreIsolatedBetweenWorkspaces() {
        http.post("/api/v1/workspaces", Map.of("name", "team-a"));
        http.post("/api/v1/workspaces", Map.of("name", "team-b"));
        assertThat(http.get("/w/team-a/api/2.0/mlflow/experiments/get?experiment_id=0").json().at("/experiment/name").asText())
                .isEqualTo("Default");
        String experimentId = http.post("/w/team-a/api/2.0/mlflow/experiments/create", Map.of("name", "same-name"))
                .json().get("experiment_id").asText();
        assertThat(experimentId).isEqualTo("1");
        assertThat(http.post("/w/team-b/api/2.0/mlflow/experiments/create", Map.of("name", "same-name")).status()).isEqualTo(200);
        String runId = http.post("/w/team-a/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId))
                .json().at("/run/info/run_id").asText();
        assertThat(http.get("/w/team-b/api/2.0/mlflow/runs/get?run_id=" + runId).status()).isEqualTo(404);
        assertThat(http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).status()).isEqualTo(404);
        assertThat(http.get("/w/team-a/api/2.0/mlflow/runs/get?run_id=" + runId).status()).isEqualTo(200);
        assertThat(http.post("/w/team-b/api/2.0/mlflow/runs/log-metric",
                Map.of("run_id", runId, "key", "m", "value", 1, "timestamp", 1)).status()).isEqualTo(404);
    }
}
