package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The MLflow REST calls the benchmark makes, as the Python client sends them (JSON bodies,
 * {@code /api/2.0/mlflow/...}). One instance is shared by all client threads: {@link HttpClient}
 * is thread-safe and keeps one connection per concurrent request alive. Thread-safe.
 */
final class MlflowHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String api;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    MlflowHttp(String baseUrl) {
        this.api = baseUrl + "/api/2.0/mlflow/";
    }

    /** A non-200 answer, with the server's error JSON as the message. */
    static final class HttpFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HttpFailure(int status, String body) {
            super("HTTP " + status + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    String createExperiment(String name) {
        return post("experiments/create", Map.of("name", name)).get("experiment_id").asText();
    }

    String createRun(String experimentId, long startTime) {
        return post("runs/create", Map.of("experiment_id", experimentId, "start_time", startTime, "user_id", "bench"))
                .get("run").get("info").get("run_id").asText();
    }

    /** Sends an already encoded runs/log-batch body. */
    void logBatch(String body) {
        post("runs/log-batch", body);
    }

    JsonNode getHistory(String runId, String key) {
        return JsonBody.parse(getHistoryBytes(runId, key));
    }

    /** The raw answer, not parsed: timed loops measure the server and the transfer, not the client's JSON parser. */
    byte[] getHistoryBytes(String runId, String key) {
        return send(HttpRequest.newBuilder(URI.create(api + "metrics/get-history?run_id=" + encode(runId) + "&metric_key=" + encode(key)))
                .timeout(TIMEOUT).GET().build());
    }

    JsonNode searchRuns(String experimentId, String filter, String orderBy, int maxResults) {
        return JsonBody.parse(searchRunsBytes(experimentId, filter, orderBy, maxResults));
    }

    /** The raw answer of runs/search, not parsed. */
    byte[] searchRunsBytes(String experimentId, String filter, String orderBy, int maxResults) {
        StringJoiner body = new StringJoiner(",", "{", "}");
        body.add("\"experiment_ids\":[" + quote(experimentId) + "]");
        body.add("\"max_results\":" + maxResults);
        if (!filter.isEmpty()) {
            body.add("\"filter\":" + quote(filter));
        }
        if (!orderBy.isEmpty()) {
            body.add("\"order_by\":[" + quote(orderBy) + "]");
        }
        return send(HttpRequest.newBuilder(URI.create(api + "runs/search")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    JsonNode post(String endpoint, Object body) {
        String text = body instanceof String s ? s : write(body);
        return JsonBody.parse(send(HttpRequest.newBuilder(URI.create(api + endpoint)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build()));
    }

    JsonNode get(String endpointAndQuery) {
        return JsonBody.parse(send(HttpRequest.newBuilder(URI.create(api + endpointAndQuery)).timeout(TIMEOUT).GET().build()));
    }

    private byte[] send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new HttpFailure(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String quote(String text) {
        return write(text);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses answers. */
    private static final class JsonBody {
        private JsonBody() {
        }

        static JsonNode parse(byte[] body) {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("the server answered invalid JSON", e);
            }
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
