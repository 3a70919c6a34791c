package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The MLflow REST calls the benchmark makes, as the Python client sends them (JSON bodies,
 * {@code /api/2.0/mlflow/...}). One instance is shared by all client threads. Requests go through
 * {@link HttpURLConnection}, which keeps a connection per client thread alive and costs the client
 * a fraction of the CPU {@code java.net.http.HttpClient} does: client and server share the
 * benchmark machine's cores, and the figures are about the server. Thread-safe.
 */
final class MlflowHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MILLIS = 120_000;

    static {
        // Keep-alive connections per host (default 5): one per client thread of the throughput scenarios.
        System.setProperty("http.maxConnections", "64");
    }

    private final String api;

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
        return send("GET", api + "metrics/get-history?run_id=" + encode(runId) + "&metric_key=" + encode(key), null);
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
        return send("POST", api + "runs/search", body.toString());
    }

    JsonNode post(String endpoint, Object body) {
        String text = body instanceof String s ? s : write(body);
        return JsonBody.parse(send("POST", api + endpoint, text));
    }

    JsonNode get(String endpointAndQuery) {
        return JsonBody.parse(send("GET", api + endpointAndQuery, null));
    }

    /** Sends a request ({@code body} null for none) and returns the body of a 200 answer. */
    private static byte[] send(String method, String url, String body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                // Small bodies are buffered, so the headers and the body leave in one segment as with
                // Python's http.client (MLflow's client); sent apart they wait on a delayed ACK.
                if (bytes.length > 65_536) {
                    connection.setFixedLengthStreamingMode(bytes.length);
                }
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            byte[] answer;
            // Reading the body to its end and closing the stream returns the connection to the keep-alive cache.
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (status != 200) {
                throw new HttpFailure(status, new String(answer, StandardCharsets.UTF_8));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
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
