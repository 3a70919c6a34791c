package dev.atelier.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/gc} removes for good what was deleted before the given age, and nothing else. */
class GarbageCollectionTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    private static String newRunWithData(String workspacePrefix, String experimentId) {
        String runId = http.post(workspacePrefix + "/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId))
                .json().at("/run/info/run_id").asText();
        http.post(workspacePrefix + "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId,
                "metrics", List.of(Map.of("key", "m", "value", 1, "timestamp", 1, "step", 0), Map.of("key", "m", "value", 2, "timestamp", 2, "step", 1)),
                "params", List.of(Map.of("key", "p", "value", "v"))));
        return runId;
    }

    @Test
    void recentDeletionsStayRestorableAndOldOnesAreCollected() {
        http.post("/api/v1/workspaces", Map.of("name", "gc-team"));
        String prefix = "/w/gc-team";
        String experimentId = http.post(prefix + "/api/2.0/mlflow/experiments/create", Map.of("name", "gc")).json().get("experiment_id").asText();
        String kept = newRunWithData(prefix, experimentId);
        String collected = newRunWithData(prefix, experimentId);
        String artifactPath = prefix + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + collected + "/artifacts/model.bin";
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + artifactPath))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[1234])).build()).status()).isEqualTo(200);
        http.post(prefix + "/api/2.0/mlflow/runs/delete", Map.of("run_id", collected));

        JsonNode none = http.post("/api/v1/gc", Map.of("older_than_ms", 86_400_000L, "workspace", "gc-team")).json();
        assertThat(none.get("runs").asLong()).isZero();
        assertThat(http.get(prefix + "/api/2.0/mlflow/runs/get?run_id=" + collected).status()).isEqualTo(200);

        JsonNode report = http.post("/api/v1/gc", Map.of("older_than_ms", 0, "workspace", "gc-team")).json();
        assertThat(report.get("runs").asLong()).isEqualTo(1);
        assertThat(report.get("metrics").asLong()).isEqualTo(2);
        assertThat(report.get("params").asLong()).isEqualTo(1);
        assertThat(report.get("tags").asLong()).isPositive();
        assertThat(report.get("artifact_bytes").asLong()).isEqualTo(1234);
        assertThat(http.get(artifactPath).status()).isEqualTo(404);
        assertThat(http.get(prefix + "/api/2.0/mlflow/runs/get?run_id=" + collected).status()).isEqualTo(404);
        assertThat(http.get(prefix + "/api/2.0/mlflow/runs/get?run_id=" + kept).status()).isEqualTo(200);
    }

    @Test
    void aDeletedExperimentIsCollectedWithItsRuns() {
        String experimentId = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "gc-experiment")).json().get("experiment_id").asText();
        String runId = newRunWithData("", experimentId);
        http.post("/api/2.0/mlflow/experiments/delete", Map.of("experiment_id", experimentId));
        JsonNode report = http.post("/api/v1/gc", Map.of("workspace", "default")).json();
        assertThat(report.get("experiments").asLong()).isEqualTo(1);
        assertThat(report.get("runs").asLong()).isEqualTo(1);
        assertThat(http.get("/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId).status()).isEqualTo(404);
        assertThat(http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).status()).isEqualTo(404);
        assertThat(http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "gc-experiment")).status()).isEqualTo(200);
    }
}
