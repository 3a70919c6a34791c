package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * MLflow's REST API spoken by hand, for what the CLI has no command for (creating runs, logging
 * metrics): the way any MLflow client talks to the server.
 */
final class MlflowRest implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    MlflowRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** One answer: status and parsed body. */
    record Answer(int status, JsonNode body) {
    }

    Answer post(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** POSTs and returns the body, failing the test on any status but 200. */
    JsonNode postOk(String path, String json) throws IOException {
        return ok(path, post(path, json));
    }

    JsonNode getOk(String path) throws IOException {
        return ok(path, get(path));
    }

    /** Creates a run in {@code experimentId} and returns its id. */
    String createRun(String experimentId, String runName) throws IOException {
        return postOk("/api/2.0/mlflow/runs/create", JSON.createObjectNode()
                .put("experiment_id", experimentId)
                .put("run_name", runName)
                .put("start_time", System.currentTimeMillis())
                .toString())
                .path("run").path("info").path("run_id").asText();
    }

    private static JsonNode ok(String path, Answer answer) {
        if (answer.status() != 200) {
            throw new AssertionError(path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    private Answer send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The body as JSON; one that is not JSON (a plain-text error) as a JSON string, so failures show it. */
    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
