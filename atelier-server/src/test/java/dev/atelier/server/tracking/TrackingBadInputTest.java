package dev.atelier.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed and invalid requests get MLflow's error code, a 4xx, a message naming the problem, and write nothing. */
class TrackingBadInputTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    private static String newRun() {
        String experimentId = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "bad-" + System.nanoTime()))
                .json().get("experiment_id").asText();
        return http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId)).json().at("/run/info/run_id").asText();
    }

    private static JsonNode run(String runId) {
        return http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().get("run");
    }

    private static void assertError(HttpJson.Response response, int status, String code, String messagePart) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.json().get("message").asText()).contains(messagePart).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void malformedJsonIsInvalidParameterValue() {
        assertError(http.post("/api/2.0/mlflow/experiments/create", "{\"name\": "), 400, "INVALID_PARAMETER_VALUE", "Malformed JSON");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertError(http.post("/api/2.0/mlflow/experiments/create", "[1, 2]"), 400, "INVALID_PARAMETER_VALUE", "JSON object");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertError(http.post("/api/2.0/mlflow/experiments/create", Map.of()), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", newRun(), "key", "m", "value", 1.0)),
                400, "INVALID_PARAMETER_VALUE", "'timestamp'");
    }

    @Test
    void wrongTypeIsNamed() {
        assertError(http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", Map.of("nested", 1))),
                400, "INVALID_PARAMETER_VALUE", "'experiment_id'");
        assertError(http.post("/api/2.0/mlflow/runs/log-metric",
                        Map.of("run_id", newRun(), "key", "m", "value", "not-a-number", "timestamp", 1)),
                400, "INVALID_PARAMETER_VALUE", "'value'");
        assertError(http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", newRun(), "metrics", "nope")),
                400, "INVALID_PARAMETER_VALUE", "'metrics'");
    }

    @Test
    void int64FieldsAreAcceptedAsStringsOrNumbers() {
        String runId = newRun();
        assertThat(http.post("/api/2.0/mlflow/runs/log-metric",
                Map.of("run_id", runId, "key", "m", "value", "2.5", "timestamp", "1700000000000", "step", "3")).status()).isEqualTo(200);
        assertThat(http.post("/api/2.0/mlflow/runs/log-metric",
                Map.of("run_id", runId, "key", "m", "value", 3.5, "timestamp", 1700000000001L, "step", 4)).status()).isEqualTo(200);
        JsonNode metric = run(runId).at("/data/metrics/0");
        assertThat(metric.get("value").asDouble()).isEqualTo(3.5);
        assertThat(metric.get("step").isNumber()).isTrue();
        assertThat(metric.get("timestamp").asLong()).isEqualTo(1700000000001L);
    }

    @Test
    void oversizeBatchIsRefusedAndWritesNothing() {
        String runId = newRun();
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            metrics.add(Map.of("key", "m" + i, "value", i, "timestamp", 1, "step", 0));
        }
        assertError(http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId, "metrics", metrics)),
                400, "INVALID_PARAMETER_VALUE", "at most 1000 metrics");
        List<Map<String, Object>> params = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            params.add(Map.of("key", "p" + i, "value", "v"));
        }
        assertError(http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId, "params", params)),
                400, "INVALID_PARAMETER_VALUE", "at most 100 params");
        assertThat(run(runId).get("data").has("metrics")).isFalse();
        assertThat(run(runId).get("data").has("params")).isFalse();
    }

    @Test
    void aBatchWithOneBadItemWritesNothing() {
        String runId = newRun();
        http.post("/api/2.0/mlflow/runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1"));
        HttpJson.Response conflict = http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId,
                "metrics", List.of(Map.of("key", "loss", "value", 1.0, "timestamp", 1, "step", 0)),
                "params", List.of(Map.of("key", "lr", "value", "0.2"), Map.of("key", "epochs", "value", "3")),
                "tags", List.of(Map.of("key", "t", "value", "v"))));
        assertError(conflict, 400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed");
        HttpJson.Response badKey = http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId,
                "metrics", List.of(Map.of("key", "ok", "value", 1.0, "timestamp", 1), Map.of("key", "../escape", "value", 1.0, "timestamp", 1))));
        assertError(badKey, 400, "INVALID_PARAMETER_VALUE", "../escape");
        JsonNode data = run(runId).get("data");
        assertThat(data.has("metrics")).isFalse();
        assertThat(data.get("params")).hasSize(1);
        assertThat(data.get("tags").toString()).doesNotContain("\"t\"");
    }

    @Test
    void overlongKeysAndValuesAreRefused() {
        String runId = newRun();
        assertError(http.post("/api/2.0/mlflow/runs/set-tag", Map.of("run_id", runId, "key", "k".repeat(251), "value", "v")),
                400, "INVALID_PARAMETER_VALUE", "exceeded length limit of 250");
        assertError(http.post("/api/2.0/mlflow/runs/log-parameter", Map.of("run_id", runId, "key", "p", "value", "v".repeat(6001))),
                400, "INVALID_PARAMETER_VALUE", "exceeded length limit of 6000");
    }

    @Test
    void unknownIdsAreNotFound() {
        assertError(http.get("/api/2.0/mlflow/runs/get?run_id=00000000000000000000000000000000"), 404, "RESOURCE_DOES_NOT_EXIST",
                "Run with id=00000000000000000000000000000000 not found");
        assertError(http.get("/api/2.0/mlflow/experiments/get?experiment_id=999999"), 404, "RESOURCE_DOES_NOT_EXIST", "999999");
        assertError(http.get("/api/2.0/mlflow/experiments/get?experiment_id=abc"), 400, "INVALID_PARAMETER_VALUE", "abc");
        assertError(http.post("/api/2.0/mlflow/runs/delete-tag", Map.of("run_id", newRun(), "key", "missing")),
                404, "RESOURCE_DOES_NOT_EXIST", "missing");
    }

    @Test
    void invalidEnumValuesAreNamed() {
        assertError(http.post("/api/2.0/mlflow/runs/update", Map.of("run_id", newRun(), "status", "DONE")),
                400, "INVALID_PARAMETER_VALUE", "'status'");
        assertError(http.post("/api/2.0/mlflow/experiments/search", Map.of("view_type", "SOME")),
                400, "INVALID_PARAMETER_VALUE", "Invalid view type");
        assertError(http.post("/api/2.0/mlflow/experiments/search", Map.of("max_results", 50001)),
                400, "INVALID_PARAMETER_VALUE", "max_results");
        assertError(http.post("/api/2.0/mlflow/experiments/search", Map.of("page_token", "%%%")),
                400, "INVALID_PARAMETER_VALUE", "page token");
    }

    @Test
    void writesToADeletedRunAreRefused() {
        String runId = newRun();
        http.post("/api/2.0/mlflow/runs/delete", Map.of("run_id", runId));
        assertError(http.post("/api/2.0/mlflow/runs/set-tag", Map.of("run_id", runId, "key", "k", "value", "v")),
                400, "INVALID_PARAMETER_VALUE", "must be in the 'active' state");
    }

    @Test
    void unknownEndpointsAndMethodsAnswerJson() {
        assertError(http.get("/api/2.0/mlflow/no-such-endpoint"), 404, "ENDPOINT_NOT_FOUND", "no-such-endpoint");
        HttpJson.Response wrongMethod = http.get("/api/2.0/mlflow/runs/log-batch");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorCode()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void unknownWorkspaceIsNotFound() {
        assertError(http.get("/w/no-such-workspace/api/2.0/mlflow/experiments/get?experiment_id=0"), 404,
                "RESOURCE_DOES_NOT_EXIST", "no-such-workspace");
    }

    @Test
    void requestsJettyRejectsBeforeRoutingStillGetJsonErrors() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", java.net.URI.create(server.url()).getPort())) {
            socket.getOutputStream().write(("GET /api/2.0/mlflow-artifacts/artifacts/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json")
                    .contains("\"error_code\":\"BAD_REQUEST\"");
        }
    }
}
