package dev.atelier.server.serving;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Endpoints, deployments, traffic and keys survive a restart; the deployments start again by themselves. */
class EndpointRestartTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path scratch;

    @Test
    void aRestartedServerServesTheSameEndpointsWithTheSameKeys() throws Exception {
        String key;
        try (TestServer first = TestServer.start(dataDir)) {
            ServingFixture serving = new ServingFixture(first.http(), scratch);
            serving.registerOnnx("kept-onnx");
            serving.createEndpoint("name: kept\n");
            serving.createDeployment("kept", "name: blue\nmodel: models:/kept-onnx/1\n");
            serving.createDeployment("kept", "name: green\nmodel: models:/kept-onnx/1\n");
            serving.awaitProvisioned("kept", "blue");
            serving.awaitProvisioned("kept", "green");
            assertThat(first.http().send("PATCH", "/api/v1/endpoints/kept", Map.of("traffic", Map.of("blue", 0, "green", 100))).status())
                    .isEqualTo(200);
            key = serving.primaryKey("kept");
            assertThat(serving.score("kept", "/invocations", key, "application/json", "{\"inputs\": [[0.1, 0.9]]}").status()).isEqualTo(200);
        }
        try (TestServer second = TestServer.start(dataDir)) {
            ServingFixture serving = new ServingFixture(second.http(), scratch);
            HttpJson.Response answer = serving.score("kept", "/invocations", key, "application/json", "{\"inputs\": [[0.1, 0.9]]}");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (answer.status() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                answer = serving.score("kept", "/invocations", key, "application/json", "{\"inputs\": [[0.1, 0.9]]}");
            }
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(second.http().get("/api/v1/endpoints/kept").json().path("traffic").path("green").asInt()).isEqualTo(100);
        }
    }
}
