package dev.atelier.workers.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The workload's side of the server: MLflow tracking calls ({@code /api/2.0/mlflow/...}), uploads through MLflow's
 * artifact proxy ({@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>}) and GET/POST on the native API, with the
 * workload's token as a Bearer token when there is one. {@code trackingUri} is the job's MLFLOW_TRACKING_URI, which
 * already carries the workspace ({@code http://host:port} or {@code http://host:port/w/<workspace>}).
 *
 * <p>Every failure (transport or a non-2xx answer) is a {@link ServerException} naming the call and carrying the
 * server's message. Thread-safe: trials log concurrently through one client.
 */
public final class ServerClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARTIFACT_SCHEME = "mlflow-artifacts:";

    private final URI trackingUri;
    private final Optional<String> token;
    private final HttpClient http;

    public ServerClient(URI trackingUri, Optional<String> token) {
        String text = requireNonNull(trackingUri, "trackingUri is null").toString();
        this.trackingUri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = requireNonNull(token, "token is null").filter(value -> !value.isBlank());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** From MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN (absent when auth is off). */
    public static ServerClient fromEnvironment(Map<String, String> environment) {
        String uri = environment.get("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MLFLOW_TRACKING_URI is not set");
        }
        return new ServerClient(URI.create(uri), Optional.ofNullable(environment.get("MLFLOW_TRACKING_TOKEN")));
    }

    /** The tracking URI without a trailing slash. */
    public URI trackingUri() {
        return trackingUri;
    }

    // ---- MLflow tracking

    /** {@code runs/create}; returns the new run's id. Tags are set at creation (MLflow's {@code tags} field). */
    public String createRun(String experimentId, String runName, Map<String, String> tags) {
        ObjectNode body = JSON.createObjectNode();
        body.put("experiment_id", experimentId);
        body.put("run_name", runName);
        body.put("start_time", System.currentTimeMillis());
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach((key, value) -> tagArray.addObject().put("key", key).put("value", value));
        return post("/api/2.0/mlflow/runs/create", body).path("run").path("info").path("run_id").asText();
    }

    /** {@code runs/get}: the run object ({@code info}, {@code data}). */
    public JsonNode getRun(String runId) {
        return get("/api/2.0/mlflow/runs/get?run_id=" + encode(runId)).path("run");
    }

    /**
     * {@code runs/log-batch}: metrics (step 0, now), params and tags in one call. MLflow takes at most 1000 metrics,
     * 100 params and 100 tags per call; larger maps are sent in several calls.
     */
    public void logBatch(String runId, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {
        long now = System.currentTimeMillis();
        List<Map.Entry<String, Double>> metricList = List.copyOf(metrics.entrySet());
        List<Map.Entry<String, String>> paramList = List.copyOf(params.entrySet());
        List<Map.Entry<String, String>> tagList = List.copyOf(tags.entrySet());
        int calls = Math.max(1, Math.max(ceilDiv(metricList.size(), 1000), Math.max(ceilDiv(paramList.size(), 100), ceilDiv(tagList.size(), 100))));
        for (int call = 0; call < calls; call++) {
            ObjectNode body = JSON.createObjectNode();
            body.put("run_id", runId);
            ArrayNode metricArray = body.putArray("metrics");
            for (Map.Entry<String, Double> metric : slice(metricList, call, 1000)) {
                if (Double.isFinite(metric.getValue())) {
                    metricArray.addObject().put("key", metric.getKey()).put("value", metric.getValue())
                            .put("timestamp", now).put("step", 0);
                }
            }
            ArrayNode paramArray = body.putArray("params");
            slice(paramList, call, 100).forEach(param -> paramArray.addObject().put("key", param.getKey())
                    .put("value", truncate(param.getValue(), 6000)));
            ArrayNode tagArray = body.putArray("tags");
            slice(tagList, call, 100).forEach(tag -> tagArray.addObject().put("key", tag.getKey()).put("value", tag.getValue()));
            post("/api/2.0/mlflow/runs/log-batch", body);
        }
    }

    /** {@code runs/set-tag}. */
    public void setTag(String runId, String key, String value) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("key", key).put("value", value);
        post("/api/2.0/mlflow/runs/set-tag", body);
    }

    /** {@code runs/update}: status FINISHED, FAILED or KILLED, with the end time now. */
    public void updateRun(String runId, String status) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", status)
                .put("end_time", System.currentTimeMillis());
        post("/api/2.0/mlflow/runs/update", body);
    }

    // ---- artifacts

    /**
     * Uploads one file to {@code artifactPath} (slash-separated, relative) under the run's artifact root, through the
     * artifact proxy. The run's {@code artifact_uri} must be an {@code mlflow-artifacts:} URI, as this server gives.
     */
    public void uploadArtifact(String runId, Path file, String artifactPath) {
        String root = artifactRoot(runId);
        putFile(root + "/" + artifactPath, file);
    }

    /** Uploads every file under {@code folder} to {@code artifactPath/<relative path>} of the run. */
    public void uploadArtifacts(String runId, Path folder, String artifactPath) {
        String root = artifactRoot(runId) + (artifactPath.isEmpty() ? "" : "/" + artifactPath);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                putFile(root + "/" + relative, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** The run's artifact folder relative to the workspace's artifact root, such as {@code 1/<run>/artifacts}. */
    private String artifactRoot(String runId) {
        String uri = getRun(runId).path("info").path("artifact_uri").asText();
        if (!uri.startsWith(ARTIFACT_SCHEME)) {
            throw new ServerException("run " + runId + " stores artifacts at '" + uri + "', not through the artifact proxy", 0);
        }
        String rest = uri.substring(ARTIFACT_SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return rest.replaceFirst("^/+", "").replaceFirst("/+$", "");
    }

    private void putFile(String relativePath, Path file) {
        String encoded = String.join("/", java.util.Arrays.stream(relativePath.split("/"))
                .map(segment -> encode(segment).replace("+", "%20")).toList());
        try {
            send(request("/api/2.0/mlflow-artifacts/artifacts/" + encoded)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), "upload of " + relativePath);
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- generic JSON calls (native API and MLflow)

    /** GET of {@code path} (relative to the tracking URI, with its query) answering JSON. */
    public JsonNode get(String path) {
        return parse(send(request(path).GET().build(), "GET " + path), path);
    }

    /** POST of a JSON body to {@code path} answering JSON (an empty answer is an empty object). */
    public JsonNode post(String path, JsonNode body) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            return parse(send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), "POST " + path), path);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("body of " + path + " is not JSON", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(trackingUri + path)).timeout(Duration.ofMinutes(5));
        token.ifPresent(value -> builder.header("Authorization", "Bearer " + value));
        return builder;
    }

    private String send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ServerException(what + " failed: " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(what + " was interrupted", 0);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ServerException(what + " answered " + response.statusCode() + ": " + response.body(), response.statusCode());
        }
        return response.body();
    }

    private static JsonNode parse(String body, String path) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ServerException(path + " answered something that is not JSON", 0);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String truncate(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static <T> List<T> slice(List<T> list, int call, int size) {
        int from = Math.min(list.size(), call * size);
        return list.subList(from, Math.min(list.size(), from + size));
    }

    /** A call to the server that failed; {@code status} is the HTTP status, 0 when there was no answer. */
    public static final class ServerException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public ServerException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
