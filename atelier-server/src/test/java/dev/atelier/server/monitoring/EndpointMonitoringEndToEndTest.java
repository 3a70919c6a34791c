package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests scored through a real endpoint are counted, exported on {@code /metrics}, written to the
 * database and logged as a table asset when the server stops, and read back after a restart.
 */
class EndpointMonitoringEndToEndTest {
    private static final int REQUESTS = 12;

    @TempDir
    Path dataDir;
    @TempDir
    Path scratch;

    private static long total(JsonNode points, String field) {
        long sum = 0;
        for (JsonNode point : points) {
            sum += point.path(field).asLong();
        }
        return sum;
    }

    @Test
    void scoredRequestsAreCountedExportedStoredAndLogged() throws Exception {
        try (TestServer first = TestServer.start(dataDir)) {
            ServingFixture serving = new ServingFixture(first.http(), scratch);
            serving.registerOnnx("watched-onnx");
            serving.createEndpoint("name: watched\n");
            serving.createDeployment("watched", """
                    name: blue
                    model: models:/watched-onnx/1
                    data_collector:
                      enabled: true
                      sampling_rate: 1.0
                    """);
            assertThat(serving.awaitProvisioned("watched", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
            String key = serving.primaryKey("watched");
            for (int i = 0; i < REQUESTS; i++) {
                HttpJson.Response answer = serving.score("watched", "/invocations", key, "application/json",
                        "{\"inputs\": [[0.1, 0.9], [0.9, 0.1]]}");
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            }
            HttpJson.Response refused = serving.score("watched", "/invocations", key, "application/json", "{\"inputs\": [[1, 2, 3]]}");
            assertThat(refused.status()).isBetween(400, 499);

            JsonNode live = first.http().get("/api/v1/endpoints/watched/metrics?deployment=blue").json().path("points");
            assertThat(total(live, "requests")).isEqualTo(REQUESTS + 1);
            assertThat(total(live, "client_errors")).isEqualTo(1);
            assertThat(first.http().get("/metrics").text())
                    .contains("atelier_endpoint_requests_total{deployment=\"blue\",endpoint=\"watched\",status=\"2xx\",workspace=\"default\"} "
                            + REQUESTS + ".0");
        }
        try (TestServer second = TestServer.start(dataDir)) {
            JsonNode stored = second.http().get("/api/v1/endpoints/watched/metrics").json().path("points");
            assertThat(total(stored, "requests")).as("written when the first server stopped").isEqualTo(REQUESTS + 1);

            JsonNode logged = second.http().get("/api/v1/data/watched-requests/versions/1").json();
            assertThat(logged.path("type").asText()).isEqualTo("table");
            JsonNode profile = logged.path("profile");
            assertThat(profile.path("row_count").asLong()).isEqualTo(2L * REQUESTS + 1);
            assertThat(profile.path("preview").path("columns")).extracting(JsonNode::asText)
                    .containsExactly("request_id", "timestamp", "deployment", "input_0", "input_1", "input_2", "response");
        }
    }
}
