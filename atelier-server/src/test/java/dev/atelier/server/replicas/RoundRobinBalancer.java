package dev.atelier.server.replicas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP load balancer in front of the replicas, as HAProxy or nginx would be: every request goes to the next
 * backend in turn (no sticky sessions), and is never retried, so clients see what the servers answer. A backend
 * whose connection fails gets that request answered 502 (as a real balancer does) and is taken out of the rotation
 * until its {@code /health/live} answers again (checked every 250 ms). With no backend left it answers 503.
 * Thread-safe.
 */
public final class RoundRobinBalancer implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final List<Backend> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong badGateways = new AtomicLong();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final HttpServer server;
    private final Thread checker;

    /** One backend server: its URL, whether it is in the rotation, how many requests it was sent. */
    public static final class Backend {
        final String url;
        volatile boolean up = true;
        final AtomicLong requests = new AtomicLong();

        Backend(String url) {
            this.url = url;
        }

        public long requests() {
            return requests.get();
        }

        public String url() {
            return url;
        }
    }

    public RoundRobinBalancer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
        checker = Thread.ofPlatform().daemon().name("balancer-health").start(this::checkHealth);
    }

    public Backend add(String url) {
        Backend backend = new Backend(url);
        backends.add(backend);
        return backend;
    }

    public List<Backend> backends() {
        return List.copyOf(backends);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered 502 because their backend could not be reached. */
    public long badGateways() {
        return badGateways.get();
    }

    private Backend pick() {
        List<Backend> all = backends;
        for (int tried = 0; tried < all.size(); tried++) {
            Backend candidate = all.get(Math.floorMod(next.getAndIncrement(), all.size()));
            if (candidate.up) {
                return candidate;
            }
        }
        return null;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Backend backend = pick();
            if (backend == null) {
                answer(exchange, 503, "no backend is up");
                return;
            }
            backend.requests.incrementAndGet();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.url + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                backend.up = false;
                badGateways.incrementAndGet();
                answer(exchange, 502, "backend " + backend.url + " failed: " + e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(exchange, 503, "interrupted");
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            boolean noBody = answer.length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        byte[] text = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    private void checkHealth() {
        while (!Thread.currentThread().isInterrupted()) {
            for (Backend backend : backends) {
                if (!backend.up) {
                    try {
                        HttpResponse<Void> live = client.send(HttpRequest.newBuilder(URI.create(backend.url + "/health/live"))
                                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                        backend.up = live.statusCode() == 200;
                    } catch (IOException e) {
                        backend.up = false;
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        checker.interrupt();
        server.stop(0);
        client.close();
    }
}
