package dev.atelier.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * JSON over HTTP to one Atelier server: sends requests, returns the parsed answer, and turns error
 * answers into {@link AtelierException} and transport failures into
 * {@link ServerUnreachableException}. Thread-safe.
 *
 * <p>A JSON call other than PATCH goes through {@link HttpURLConnection}: one request of a short-lived command line
 * costs a few classes there, where the JDK's {@link HttpClient} starts a selector thread and initializes TLS (the trust
 * store's certificates) even for plain HTTP, about half a second of CPU at each start (bench/RESULTS.md). The
 * {@link HttpClient}, for streams, files, raw bodies and PATCH (which {@link HttpURLConnection} refuses), is made on first
 * use.
 */
final class HttpTransport implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final Credentials credentials;
    private HttpClient http;
    private boolean closed;

    HttpTransport(String baseUrl, Credentials credentials) {
        this.baseUrl = normalize(baseUrl);
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    /** The JDK's HTTP client, made on first use. */
    private synchronized HttpClient http() {
        if (http == null) {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
        }
        return http;
    }

    /** Checks that {@code url} is an absolute http(s) URL and strips trailing slashes. */
    static String normalize(String url) {
        requireNonNull(url, "url is null");
        String trimmed = url.strip().replaceAll("/+$", "");
        try {
            URI uri = new URI(trimmed);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected an http:// or https:// URL with a host, got '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL '" + url + "': " + e.getMessage(), e);
        }
        return trimmed;
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The credentials this transport sends. */
    Credentials credentials() {
        return credentials;
    }

    JsonNode get(String path) {
        return send("GET", path, null, credentials);
    }

    JsonNode post(String path, Object body) {
        return post(path, body, credentials);
    }

    /** A POST sent with other credentials than this transport's, such as a password to create a token. */
    JsonNode post(String path, Object body, Credentials with) {
        return send("POST", path, requireNonNull(body, "body is null"), requireNonNull(with, "with is null"));
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, requireNonNull(body, "body is null"), credentials);
    }

    JsonNode patch(String path, Object body) {
        return send("PATCH", path, requireNonNull(body, "body is null"), credentials);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, credentials);
    }

    /** A PUT of raw bytes (an upload chunk); the answer is JSON. */
    JsonNode putBytes(String path, byte[] bytes, int length) {
        return sendBody("PUT", path, HttpRequest.BodyPublishers.ofByteArray(bytes, 0, length), "application/octet-stream");
    }

    /**
     * Streams the body of a GET, such as an artifact download; the caller closes the stream.
     * An error answer is thrown as for JSON calls.
     */
    InputStream openStream(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "*/*").GET();
        credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        HttpResponse<InputStream> response;
        try {
            response = http().send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(baseUrl, "interrupted while waiting for the answer to GET " + path, e);
        }
        if (response.statusCode() / 100 != 2) {
            try (InputStream body = response.body()) {
                throw error(response.statusCode(), body.readAllBytes(), "GET " + path);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return response.body();
    }

    /** Sends a raw body (a file's bytes, a YAML document) with its content type; answers with the parsed JSON. */
    JsonNode sendBody(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json")
                .header("Content-Type", contentType)
                .method(method, body);
        credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        HttpResponse<byte[]> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofByteArray(), method + " " + path);
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body(), method + " " + path);
        }
        return parse(response.body(), method + " " + path);
    }

    /**
     * Sends {@code body} with extra {@code headers} and {@code with}'s credentials, and returns the answer whatever its
     * status: for calls whose error answers belong to the caller, such as a model's scoring answer.
     */
    HttpResponse<byte[]> sendRaw(String method, String path, byte[] body, String contentType, Map<String, String> headers,
                                 Credentials with) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        with.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        return exchange(builder.build(), HttpResponse.BodyHandlers.ofByteArray(), method + " " + path);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http().send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(baseUrl, "interrupted while waiting for the answer to " + what, e);
        }
    }

    /** Encodes one query-string value or path segment. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, Object body, Credentials with) {
        if (!method.equals("PATCH")) {
            return sendJson(method, path, body == null ? null : json(body), with);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json(body)));
        with.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(baseUrl, "interrupted while waiting for the answer to " + method + " " + path, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body(), method + " " + path);
        }
        return parse(response.body(), method + " " + path);
    }

    /** One JSON call through {@link HttpURLConnection}; redirects are not followed, as by the {@link HttpClient}. */
    private JsonNode sendJson(String method, String path, byte[] body, Credentials with) {
        String what = method + " " + path;
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(method);
            connection.setRequestProperty("Accept", "application/json");
            connection.setRequestProperty("Content-Type", "application/json");
            with.authorizationHeader().ifPresent(value -> connection.setRequestProperty("Authorization", value));
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            byte[] answer;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (status / 100 != 2) {
                throw error(status, answer, what);
            }
            return parse(answer, what);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static byte[] json(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize request body: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode parse(byte[] body, String request) {
        if (body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AtelierException(ErrorCode.INTERNAL_ERROR, "The server answered " + request + " with malformed JSON: "
                    + snippet(body));
        }
    }

    private ServerUnreachableException unreachable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException || cause instanceof SocketTimeoutException) {
                return new ServerUnreachableException(baseUrl, "connection timed out after " + CONNECT_TIMEOUT.toSeconds() + "s", e);
            }
            if (cause instanceof ConnectException) {
                return new ServerUnreachableException(baseUrl, "connection refused", e);
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return new ServerUnreachableException(baseUrl, "unknown host", e);
            }
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ServerUnreachableException(baseUrl, "the connection failed (" + detail + ")", e);
    }

    /**
     * The exception for an error answer. A body {@code {"error_code", "message"}} keeps its code and
     * message; a code this client does not know becomes {@code INTERNAL_ERROR} with the server's
     * message. Anything else (a proxy's HTML page, Javalin's own {@code {"title": ...}}, an empty
     * body) gets a code from the HTTP status and the body, or its title, as message.
     */
    static AtelierException error(int status, byte[] body, String request) {
        JsonNode node = null;
        try {
            node = body.length == 0 ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node != null && node.isObject() && JsonFields.has(node, "error_code")) {
            String message = JsonFields.has(node, "message") ? JsonFields.text(node, "message") : "HTTP " + status + " from " + request;
            return new AtelierException(errorCode(JsonFields.text(node, "error_code")), message);
        }
        String detail = body.length == 0 ? "" : ": " + snippet(body);
        if (node != null && node.isObject() && JsonFields.has(node, "title")) {
            detail = ": " + JsonFields.text(node, "title");
        }
        return new AtelierException(errorCodeOf(status), "HTTP " + status + " from " + request + detail);
    }

    private static ErrorCode errorCode(String name) {
        return Arrays.stream(ErrorCode.values())
                .filter(code -> code.name().equals(name))
                .findFirst()
                .orElse(ErrorCode.INTERNAL_ERROR);
    }

    private static ErrorCode errorCodeOf(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 409 -> ErrorCode.RESOURCE_CONFLICT;
            case 410 -> ErrorCode.RESOURCE_EXPIRED;
            case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            case 507 -> ErrorCode.INSUFFICIENT_STORAGE;
            default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** Uploads a file as the raw body of a PUT (MLflow's artifact proxy). */
    void putFile(String path, Path file) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no file to upload at " + file, e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/octet-stream")
                .PUT(body);
        exchange(builder, HttpResponse.BodyHandlers.ofByteArray(), "PUT " + path);
    }

    /** Downloads the raw body of a GET into {@code target}, replacing it. */
    void getFile(String path, Path target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        HttpResponse.BodyHandler<Object> handler = info -> info.statusCode() / 100 == 2
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofFile(target), Object.class::cast)
                : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), Object.class::cast);
        exchange(builder, handler, "GET " + path);
    }

    /** Sends a request that is not JSON; error answers become exceptions as for JSON requests. */
    private <T> HttpResponse<T> exchange(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler, String request) {
        credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        HttpResponse<T> response;
        try {
            response = http().send(builder.build(), handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(baseUrl, "interrupted while waiting for the answer to " + request, e);
        }
        if (response.statusCode() / 100 != 2) {
            byte[] body = response.body() instanceof byte[] bytes ? bytes : new byte[0];
            throw error(response.statusCode(), body, request);
        }
        return response;
    }

    @Override
    public void close() {
        HttpClient made;
        synchronized (this) {
            closed = true;
            made = http;
        }
        if (made != null) {
            made.close();
        }
    }
}
