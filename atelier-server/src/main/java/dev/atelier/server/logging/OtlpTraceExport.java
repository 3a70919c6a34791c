package dev.atelier.server.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.RequestObserver;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.Traceparent;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Optional OpenTelemetry export of the server's request spans (docs/operations.md, "Logs"): with
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, used as it is; as system properties
 * {@code otel.exporter.otlp.endpoint} and {@code otel.exporter.otlp.traces.endpoint}, as OpenTelemetry's Java SDK reads
 * them) each answered request becomes one SERVER span of its W3C trace, sent as OTLP/HTTP JSON to {@code <endpoint>/v1/traces}
 * in batches (every {@value #FLUSH_MILLIS} ms, or at {@value #BATCH} spans) by one background thread. Spans wait in a
 * bounded queue: when the collector is slow or away, new spans are dropped (and counted), never the requests slowed.
 * {@code OTEL_SERVICE_NAME} names the service ({@code atelier} by default). Written by hand over the JDK's HTTP client
 * and Jackson: the OTLP JSON encoding is small, the SDK a dozen jars. Thread-safe.
 */
public final class OtlpTraceExport implements RequestObserver, AutoCloseable {
    static final int BATCH = 512;
    static final long FLUSH_MILLIS = 2_000;
    private static final int QUEUE = 8_192;
    private static final Logger LOG = LoggerFactory.getLogger(OtlpTraceExport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished request. */
    record Span(Traceparent trace, String name, long startNanos, long endNanos, String method, String route, int status,
                String workspace) {
    }

    private final URI traces;
    private final String serviceName;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final BlockingQueue<Span> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread sender;
    private volatile boolean closed;

    OtlpTraceExport(URI traces, String serviceName) {
        this.traces = requireNonNull(traces, "traces is null");
        this.serviceName = requireNonNull(serviceName, "serviceName is null");
        this.sender = Thread.ofPlatform().name("otlp-trace-export").daemon().start(this::sendLoop);
    }

    /** The export the environment (or system properties) asks for; empty without an endpoint. */
    public static Optional<OtlpTraceExport> fromEnvironment(Map<String, String> environment) {
        Optional<String> tracesEndpoint = setting(environment, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        Optional<URI> traces = tracesEndpoint.map(URI::create).or(() -> setting(environment, "OTEL_EXPORTER_OTLP_ENDPOINT")
                .map(base -> URI.create(base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces")));
        String service = setting(environment, "OTEL_SERVICE_NAME").orElse("atelier");
        return traces.map(uri -> {
            LOG.info("Exporting request spans to {} (OTLP/HTTP JSON) as service {}", uri, service);
            return new OtlpTraceExport(uri, service);
        });
    }

    private static Optional<String> setting(Map<String, String> environment, String variable) {
        String property = System.getProperty(variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
        String value = property != null ? property : environment.get(variable);
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }

    @Override
    public void requestCompleted(Context ctx, Route route, Optional<String> workspace, Optional<Principal> principal,
                                 Outcome outcome, int status) {
        long end = epochNanos();
        Long started = ctx.attribute(RequestContext.STARTED_AT_ATTRIBUTE);
        String method = ctx.method().name();
        Span span = new Span(RequestContext.traceparent(ctx), method + " " + route.path(), started == null ? end : started, end,
                method, route.path(), status, workspace.orElse(""));
        if (closed || !queue.offer(span)) {
            dropped.incrementAndGet();
        }
    }

    /** Spans dropped because the queue was full (the collector slow or away). */
    long dropped() {
        return dropped.get();
    }

    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void sendLoop() {
        while (!closed || !queue.isEmpty()) {
            List<Span> batch = new ArrayList<>();
            try {
                Span first = queue.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closed ? 0 : FLUSH_MILLIS);
                while (batch.size() < BATCH) {
                    Span next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                queue.drainTo(batch, BATCH);
                closed = true;
            }
            send(batch);
        }
    }

    private void send(List<Span> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(traces).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(encode(batch)))).build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                LOG.warn("the OTLP collector at {} answered {}: {} spans dropped", traces, response.statusCode(), batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("sending {} spans to the OTLP collector at {} failed: {}", batch.size(), traces, e.toString());
        }
    }

    /** The OTLP/HTTP JSON of a batch (opentelemetry-proto's ExportTraceServiceRequest, ids in hex). */
    ObjectNode encode(List<Span> batch) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode resourceSpans = root.putArray("resourceSpans").addObject();
        attribute(resourceSpans.putObject("resource").putArray("attributes"), "service.name", serviceName);
        ObjectNode scopeSpans = resourceSpans.putArray("scopeSpans").addObject();
        scopeSpans.putObject("scope").put("name", "dev.atelier.server");
        ArrayNode spans = scopeSpans.putArray("spans");
        for (Span span : batch) {
            ObjectNode json = spans.addObject();
            json.put("traceId", span.trace().traceId());
            json.put("spanId", span.trace().spanId());
            json.put("name", span.name());
            json.put("kind", 2); // SPAN_KIND_SERVER
            json.put("startTimeUnixNano", Long.toString(span.startNanos()));
            json.put("endTimeUnixNano", Long.toString(span.endNanos()));
            ArrayNode attributes = json.putArray("attributes");
            attribute(attributes, "http.request.method", span.method());
            attribute(attributes, "http.route", span.route());
            attributes.addObject().put("key", "http.response.status_code").putObject("value")
                    .put("intValue", Integer.toString(span.status()));
            if (!span.workspace().isEmpty()) {
                attribute(attributes, "atelier.workspace", span.workspace());
            }
            json.putObject("status").put("code", span.status() >= 500 ? 2 : 0); // STATUS_CODE_ERROR for server errors
        }
        return root;
    }

    private static void attribute(ArrayNode attributes, String key, String value) {
        attributes.addObject().put("key", key).putObject("value").put("stringValue", value);
    }

    /** Sends what is queued (within a few seconds) and stops. */
    @Override
    public void close() {
        closed = true;
        try {
            sender.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
