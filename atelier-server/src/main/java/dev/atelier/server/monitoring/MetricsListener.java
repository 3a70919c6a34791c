package dev.atelier.server.monitoring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * {@code --metrics-port}: a second listener, on loopback only, that serves {@code GET /metrics} and
 * nothing else, without credentials: for a Prometheus agent on the same host (or a sidecar) when the
 * main port requires authentication. Anything else is a 404. Built on the JDK's HTTP server, one
 * virtual thread per request. Thread-safe.
 */
public final class MetricsListener implements AutoCloseable {
    private final HttpServer server;

    private MetricsListener(HttpServer server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1:{@code port} ({@code 0} picks a free port). */
    public static MetricsListener start(PrometheusMeterRegistry meters, int port) {
        requireNonNull(meters, "meters is null");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/", exchange -> answer(exchange, meters));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return new MetricsListener(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for /metrics on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void answer(HttpExchange exchange, PrometheusMeterRegistry meters) throws IOException {
        try (exchange) {
            boolean metrics = exchange.getRequestURI().getPath().equals("/metrics");
            boolean get = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
            byte[] body = metrics && get ? meters.scrape().getBytes(StandardCharsets.UTF_8)
                    : (metrics ? "Only GET /metrics\n" : "Only /metrics is served on this port\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", metrics && get ? OperationsRoutes.CONTENT_TYPE : "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(metrics ? (get ? 200 : 405) : 404, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
