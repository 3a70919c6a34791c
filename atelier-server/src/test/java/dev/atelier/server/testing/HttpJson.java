package dev.atelier.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A small JSON-over-HTTP client for tests: sends requests the way MLflow's Python client does. */
public final class HttpJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final java.util.function.Supplier<String> baseUrl;
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, String> headers;

    public HttpJson(String baseUrl) {
        this(() -> baseUrl);
    }

    /** A client whose server is known only later, such as one a JUnit extension starts. */
    public HttpJson(java.util.function.Supplier<String> baseUrl) {
        this(baseUrl, Map.of());
    }

    private HttpJson(java.util.function.Supplier<String> baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers = headers;
    }

    /** A client that adds {@code name: value} to every request it sends (such as an Authorization header). */
    public HttpJson withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpJson(baseUrl, Map.copyOf(more));
    }

    public String baseUrl() {
        return baseUrl.get();
    }

    /** A response: status, content type and body parsed as JSON when it is JSON. */
    public record Response(int status, String contentType, String text) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + text, e);
            }
        }

        public String errorCode() {
            return json().path("error_code").asText();
        }
    }

    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl.get() + pathAndQuery)).header("Accept", "*/*").GET().build());
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response send(String method, String path, Object body) {
        String text = body instanceof String s ? s : toJson(body);
        return send(HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                .header("Accept", "*/*")
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                .build());
    }

    public Response send(HttpRequest request) {
        if (!headers.isEmpty()) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> !headers.containsKey(name));
            headers.forEach(builder::header);
            request = builder.build();
        }
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String toJson(Object body) {
        try {
            return MAPPER.writeValueAsString(body == null ? Map.of() : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
