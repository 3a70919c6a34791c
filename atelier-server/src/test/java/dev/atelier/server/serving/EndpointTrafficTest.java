package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Traffic split, the deployment header, rolling updates and deployments that fail to start. */
class EndpointTrafficTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;
    private static final HttpJson http = server.http();
    private static final String BODY = "{\"inputs\": [[0.1, 0.9]]}";
    private static ServingFixture serving;

    @BeforeAll
    static void registerModels() throws Exception {
        serving = new ServingFixture(http, scratch);
        serving.registerOnnx("traffic-onnx");
        serving.registerOnnx("traffic-onnx");
        Path broken = Files.createTempDirectory(scratch, "broken");
        Files.writeString(broken.resolve("MLmodel"), "artifact_path: model\nflavors:\n  onnx:\n    data: model.onnx\n");
        Files.writeString(broken.resolve("model.onnx"), "these bytes are not an ONNX graph");
        serving.register("broken-onnx", broken);
    }

    @Test
    void aSplitSendsEachDeploymentItsShareAndTheHeaderPicksOne() {
        serving.createEndpoint("name: shares\n");
        serving.createDeployment("shares", "name: blue\nmodel: models:/traffic-onnx/1\n");
        serving.createDeployment("shares", "name: green\nmodel: models:/traffic-onnx/2\n");
        serving.awaitProvisioned("shares", "blue");
        serving.awaitProvisioned("shares", "green");
        assertThat(http.send("PATCH", "/api/v1/endpoints/shares", Map.of("traffic", Map.of("blue", 90, "green", 10))).status()).isEqualTo(200);
        String key = serving.primaryKey("shares");

        Map<String, Integer> answered = new ConcurrentHashMap<>();
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> response = send("shares", key, Map.of());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            answered.merge(response.headers().firstValue("azureml-model-deployment").orElseThrow(), 1, Integer::sum);
        }
        // 10% of 1,000 is 100 with a standard deviation of about 9.5: 60..140 is over four of them.
        assertThat(answered.get("green")).as(answered.toString()).isBetween(60, 140);
        assertThat(answered.get("blue") + answered.get("green")).isEqualTo(1000);

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> picked = send("shares", key, Map.of("azureml-model-deployment", "green"));
            assertThat(picked.headers().firstValue("azureml-model-deployment")).contains("green");
            assertThat(picked.headers().firstValue("x-atelier-model")).contains("traffic-onnx/2");
        }
        HttpResponse<String> unknown = send("shares", key, Map.of("azureml-model-deployment", "red"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("red", "blue", "green");
    }

    @Test
    void mirroredRequestsReachTheMirrorWhoseAnswersAreDiscarded() throws Exception {
        serving.createEndpoint("name: mirrored\n");
        serving.createDeployment("mirrored", "name: blue\nmodel: models:/traffic-onnx/1\n");
        serving.createDeployment("mirrored", "name: shadow\nmodel: models:/traffic-onnx/2\n");
        serving.awaitProvisioned("mirrored", "blue");
        serving.awaitProvisioned("mirrored", "shadow");
        HttpJson.Response mirrored = http.send("PATCH", "/api/v1/endpoints/mirrored", Map.of("traffic", Map.of("blue", 100, "shadow", 0),
                "mirror_traffic", Map.of("shadow", 50)));
        assertThat(mirrored.status()).as(mirrored.text()).isEqualTo(200);
        String key = serving.primaryKey("mirrored");
        for (int i = 0; i < 400; i++) {
            HttpResponse<String> response = send("mirrored", key, Map.of());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("azureml-model-deployment")).as("the client only sees live traffic").contains("blue");
        }
        // The mirror's copies run in the background: wait until its count settles, then check its share.
        long shadow = 0;
        for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            shadow = requests("mirrored", "shadow");
            if (shadow >= 140 && shadow == requests("mirrored", "shadow")) {
                break;
            }
        }
        // 50% of 400 is 200 with a standard deviation of 10: 140..260 is six of them.
        assertThat(shadow).isBetween(140L, 260L);
        assertThat(requests("mirrored", "blue")).isEqualTo(400);
    }

    private static long requests(String endpoint, String deployment) {
        JsonNode points = http.get("/api/v1/endpoints/" + endpoint + "/metrics?deployment=" + deployment).json().path("points");
        long total = 0;
        for (JsonNode point : points) {
            total += point.path("requests").asLong();
        }
        return total;
    }

    @Test
    void aRollingUpdateUnderContinuousRequestsFailsNone() throws Exception {
        serving.createEndpoint("name: rolling\n");
        serving.createDeployment("rolling", "name: blue\nmodel: models:/traffic-onnx/1\n");
        assertThat(serving.awaitProvisioned("rolling", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
        String key = serving.primaryKey("rolling");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger newVersionAnswers = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                running.add(clients.submit(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> response = send("rolling", key, Map.of());
                        sent.incrementAndGet();
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        } else if (response.headers().firstValue("x-atelier-model").orElse("").endsWith("/2")) {
                            newVersionAnswers.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            HttpJson.Response updated = http.send("PATCH", "/api/v1/endpoints/rolling/deployments/blue",
                    Map.of("model", "models:/traffic-onnx/2", "instance_count", 2));
            assertThat(updated.status()).as(updated.text()).isEqualTo(200);
            assertThat(updated.json().path("provisioning_state").asText()).isEqualTo("Updating");
            JsonNode done = serving.awaitProvisioned("rolling", "blue");
            assertThat(done.path("provisioning_state").asText()).as(done.toString()).isEqualTo("Succeeded");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (newVersionAnswers.get() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop.set(true);
            for (Future<?> client : running) {
                client.get();
            }
        }
        assertThat(failures).as("of " + sent.get() + " requests").isEmpty();
        assertThat(newVersionAnswers.get()).isGreaterThanOrEqualTo(200);
        assertThat(http.get("/api/v1/endpoints/rolling/deployments/blue").json().path("instance_count").asInt()).isEqualTo(2);
    }

    @Test
    void aDeploymentThatFailsToStartSaysWhyAndTakesNoTraffic() {
        serving.createEndpoint("name: failing\n");
        serving.createDeployment("failing", "name: broken\nmodel: models:/broken-onnx/1\n");
        JsonNode broken = serving.awaitProvisioned("failing", "broken");
        assertThat(broken.path("provisioning_state").asText()).isEqualTo("Failed");
        assertThat(broken.path("error").asText()).isNotBlank();
        String key = serving.primaryKey("failing");
        HttpResponse<String> none = send("failing", key, Map.of());
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).contains("No deployment of endpoint 'failing' is ready");

        serving.createDeployment("failing", "name: healthy\nmodel: models:/traffic-onnx/1\n");
        serving.awaitProvisioned("failing", "healthy");
        assertThat(http.send("PATCH", "/api/v1/endpoints/failing", Map.of("traffic", Map.of("broken", 50, "healthy", 50))).status())
                .isEqualTo(200);
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = send("failing", key, Map.of());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("azureml-model-deployment")).contains("healthy");
        }
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> send(String endpoint, String key, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/endpoints/" + endpoint + "/invocations"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        headers.forEach(request::header);
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
