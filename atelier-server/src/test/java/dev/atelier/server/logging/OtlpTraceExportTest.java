package dev.atelier.server.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an OTLP endpoint set, the server's request spans reach a collector (here a receiver in the test, the JDK's HTTP
 * server) as OTLP/HTTP JSON: the caller's trace id, the server's span id (the request id it answers), the route template
 * and the status as attributes.
 */
class OtlpTraceExportTest {
    @TempDir
    Path dataDir;

    @Test
    void requestSpansAreSentToTheCollectorAsOtlpJson() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(HttpJson.parse(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
        System.setProperty("otel.service.name", "atelier-test");
        try (TestServer server = TestServer.start(ServerConfig.forTests(dataDir))) {
            String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
            HttpJson.Response answer = server.http().send(HttpRequest.newBuilder(URI.create(server.url()
                            + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default"))
                    .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").GET().build());
            assertThat(answer.status()).isEqualTo(200);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode span = null;
            while (span == null) {
                assertThat(System.nanoTime()).as("a span of the trace reached the collector").isLessThan(deadline);
                Thread.sleep(100);
                for (JsonNode body : received) {
                    for (JsonNode candidate : body.at("/resourceSpans/0/scopeSpans/0/spans")) {
                        if (candidate.path("traceId").asText().equals(trace)) {
                            span = candidate;
                        }
                    }
                }
            }
            assertThat(paths.get(0)).isEqualTo("/v1/traces application/json");
            assertThat(received.get(0).at("/resourceSpans/0/resource/attributes/0/value/stringValue").asText()).isEqualTo("atelier-test");
            assertThat(span.path("spanId").asText()).hasSize(16).isNotEqualTo("00f067aa0ba902b7");
            assertThat(span.path("name").asText()).isEqualTo("GET /api/2.0/mlflow/experiments/get-by-name");
            assertThat(span.path("kind").asInt()).isEqualTo(2);
            assertThat(Long.parseLong(span.path("endTimeUnixNano").asText()))
                    .isGreaterThanOrEqualTo(Long.parseLong(span.path("startTimeUnixNano").asText()));
            assertThat(span.path("attributes").toString()).contains("\"http.route\"").contains("\"http.response.status_code\"")
                    .contains("\"intValue\":\"200\"");
        } finally {
            System.clearProperty("otel.exporter.otlp.endpoint");
            System.clearProperty("otel.service.name");
            collector.stop(0);
        }
    }
}
