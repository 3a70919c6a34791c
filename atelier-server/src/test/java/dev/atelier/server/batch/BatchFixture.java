package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch endpoints, deployments, data and jobs through the native API, as a client does. */
public final class BatchFixture {
    private final HttpJson http;

    public BatchFixture(HttpJson http) {
        this.http = http;
    }

    /** Uploads files (name to content) as version 1 of a uri_folder data asset. */
    public void uploadFolder(String asset, Map<String, String> files) {
        Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
        files.forEach((name, content) -> bytes.put(name, content.getBytes(StandardCharsets.UTF_8)));
        uploadBytes(asset, bytes);
    }

    /** Uploads files (name to bytes) as version 1 of a uri_folder data asset. */
    public void uploadBytes(String asset, Map<String, byte[]> files) {
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        assertThat(session.status()).as(session.text()).isEqualTo(201);
        String uploadId = session.json().path("upload_id").asText();
        files.forEach((name, content) -> {
            HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                    + "/files/" + name + "?offset=0")).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
            assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        });
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", asset, "type", "uri_folder", "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    public HttpJson.Response postYaml(String path, String yaml) {
        return http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
    }

    public JsonNode created(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    public JsonNode invoke(String endpoint, Map<String, Object> body) {
        return created(http.post("/api/v1/batch-endpoints/" + endpoint + "/invoke", body));
    }

    public JsonNode awaitEnded(String job, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode json = http.get("/api/v1/jobs/" + job).json();
            if (List.of("Completed", "Failed", "Canceled").contains(json.path("status").asText())) {
                return json;
            }
            assertThat(System.nanoTime()).as("job %s still %s", job, json.path("status").asText()).isLessThan(deadline);
            sleep(100);
        }
    }

    List<String> logLines(String job) {
        List<String> lines = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = http.get("/api/v1/jobs/" + job + "/logs?after=" + after).json();
            page.path("lines").forEach(line -> lines.add(line.path("line").asText()));
            if (page.path("lines").isEmpty()) {
                return lines;
            }
            after = page.path("lines").get(page.path("lines").size() - 1).path("seq").asLong();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A CSV file of columns x0, x1 with {@code rows} rows of values derived from {@code seed}. */
    public static String points(int rows, int seed) {
        StringBuilder csv = new StringBuilder("x0,x1\n");
        for (int i = 0; i < rows; i++) {
            csv.append(((i * 37 + seed * 11) % 100) / 10.0 - 5).append(',').append(((i * 53 + seed * 7) % 100) / 10.0 - 5).append('\n');
        }
        return csv.toString();
    }
}
