package dev.atelier.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * A hand-written stand-in for an Atelier server, for answers the real one cannot give yet (or on
 * purpose, such as a 429): answers each {@code METHOD path} it was told to with a canned status and
 * JSON body, anything else with 404 {@code ENDPOINT_NOT_FOUND}, and records every request with its
 * headers and body. Thread-safe.
 */
public final class FakeAtelierServer implements AutoCloseable {
    private final HttpServer http;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** A request as the fake received it; header names in lower case, first value only; query without {@code ?}. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private record Answer(int status, String body) {
    }

    private FakeAtelierServer(HttpServer http) {
        this.http = http;
        http.createContext("/", this::handle);
    }

    public static FakeAtelierServer start() {
        try {
            FakeAtelierServer fake = new FakeAtelierServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            fake.http.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** From now on answers {@code method path} (path without query string) with {@code status} and {@code json}. */
    public FakeAtelierServer answer(String method, String path, int status, String json) {
        answers.put(method + " " + path, new Answer(status, requireNonNull(json, "json is null")));
        return this;
    }

    /** Every request received so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the fake server received no request");
        }
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(new Request(method, path, query == null ? "" : query, Map.copyOf(headers), body));
        Answer answer = answers.getOrDefault(method + " " + path,
                new Answer(404, "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"No route for " + method + " " + path + "\"}"));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
