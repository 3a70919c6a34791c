package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.HttpServer;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EndpointMetricsApiTest {
    private static final long T0 = 1_699_999_200_000L;  // the start of an hour
    private static final long MINUTE = 60_000;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    @BeforeAll
    static void createEndpoints() {
        assertThat(http.post("/api/v1/workspaces", Map.of("name", "team")).status()).isEqualTo(201);
        for (String path : List.of("/api/v1/endpoints", "/w/team/api/v1/endpoints")) {
            for (String name : List.of("fraud", "quiet", "scoring")) {
                HttpJson.Response created = http.post(path, Map.of("name", name, "auth_mode", "key"));
                assertThat(created.status()).as(created.text()).isEqualTo(201);
            }
        }
    }

    private static void store(String workspace, String endpoint, String deployment, long minuteStart, long requests, long latencyNanos,
                              long serverErrors) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(latencyNanos)] = requests;
        new JdbcEndpointMetricsStore(server.server().server().database(), Clock.systemUTC()).insert(List.of(new MinuteMetrics(
                workspace, endpoint, deployment, minuteStart, requests, 0, serverErrors, requests * latencyNanos,
                LatencyHistogram.of(counts), requests * 200, 300, requests * 20, 40)));
    }

    @Test
    void metricsAreBucketedFromTheStoredMinutes() {
        store("default", "fraud", "blue", T0, 10, 2_000_000, 0);
        store("default", "fraud", "green", T0 + MINUTE, 5, 8_000_000, 1);
        store("default", "fraud", "blue", T0 + 5 * MINUTE, 5, 2_000_000, 0);
        HttpJson.Response answer = http.get("/api/v1/endpoints/fraud/metrics?from=" + T0 + "&to=" + (T0 + 10 * MINUTE) + "&bucket=5m");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode points = answer.json().get("points");
        assertThat(points).hasSize(2);
        JsonNode first = points.get(0);
        assertThat(first.get("time").asLong()).isEqualTo(T0);
        assertThat(first.get("requests").asLong()).isEqualTo(15);
        assertThat(first.get("errors").asLong()).isEqualTo(1);
        assertThat(first.get("server_errors").asLong()).isEqualTo(1);
        assertThat(first.get("latency_p50_ms").asDouble()).isCloseTo(2.0, within(0.3));
        assertThat(first.get("latency_p99_ms").asDouble()).isCloseTo(8.0, within(1.0));
        assertThat(first.get("request_bytes_mean").asDouble()).isEqualTo(200.0);
        assertThat(points.get(1).get("requests").asLong()).isEqualTo(5);

        HttpJson.Response green = http.get("/api/v1/endpoints/fraud/metrics?deployment=green&from=" + Instant.ofEpochMilli(T0)
                + "&to=" + Instant.ofEpochMilli(T0 + 10 * MINUTE) + "&bucket=PT10M");
        assertThat(green.status()).as(green.text()).isEqualTo(200);
        assertThat(green.json().get("points")).hasSize(1);
        assertThat(green.json().get("points").get(0).get("requests").asLong()).isEqualTo(5);
        assertThat(green.json().get("points").get(0).get("latency_p50_ms").asDouble()).isCloseTo(8.0, within(1.0));
    }

    @Test
    void workspacesSeeOnlyTheirOwnMetrics() {
        store("team", "scoring", "blue", T0, 7, 1_000_000, 0);
        String query = "/api/v1/endpoints/scoring/metrics?from=" + T0 + "&to=" + (T0 + MINUTE);
        assertThat(http.get("/w/team" + query).json().get("points").get(0).get("requests").asLong()).isEqualTo(7);
        assertThat(http.get(query).json().get("points").get(0).get("requests").asLong()).isZero();
        assertThat(http.get("/w/nowhere" + query).status()).isEqualTo(404);
    }

    @Test
    void defaultsToTheLastHourInMinuteBuckets() {
        JsonNode answer = http.get("/api/v1/endpoints/quiet/metrics").json();
        assertThat(answer.get("bucket_ms").asLong()).isEqualTo(MINUTE);
        assertThat(answer.get("to").asLong() - answer.get("from").asLong()).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(answer.get("points").size()).isBetween(60, 61);
        assertThat(answer.get("points").get(0).has("latency_p50_ms")).as("no latency without requests").isFalse();
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        assertRefused("?from=" + (T0 + MINUTE) + "&to=" + T0, "'from'");
        assertRefused("?from=" + T0 + "&to=" + (T0 + MINUTE) + "&bucket=90s", "'bucket'");
        assertRefused("?from=" + T0 + "&to=" + (T0 + Duration.ofDays(30).toMillis()) + "&bucket=1m", "'bucket'");
        assertRefused("?to=yesterday", "'to'");
        assertRefused("?bucket=soon", "'bucket'");
    }

    private static void assertRefused(String query, String field) {
        HttpJson.Response answer = http.get("/api/v1/endpoints/fraud/metrics" + query);
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(answer.json().get("message").asText()).contains(field);
    }

    @Test
    void unknownEndpointsAreNotFound() {
        HttpJson.Response unknown = http.get("/api/v1/endpoints/nope/metrics");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(unknown.json().get("message").asText()).contains("nope");
    }

    @Test
    void theCurrentMinuteIsServedFromMemoryBehindAnyLookup() {
        EndpointLookup lookup = (workspace, endpoint) -> {
            if (!endpoint.equals("fraud")) {
                throw AtelierException.notFound("Endpoint '" + endpoint + "' does not exist in workspace '" + workspace + "'");
            }
        };
        Clock clock = Clock.systemUTC();
        EndpointMonitor monitor = new EndpointMonitor(new InMemoryEndpointMetricsStore(), new SimpleMeterRegistry(), clock,
                Duration.ZERO);
        HttpServer small = new HttpServer(List.of(new EndpointMetricsRoutes(monitor, lookup, clock)), workspace -> { },
                new SimpleMeterRegistry()).start("127.0.0.1", 0);
        try {
            HttpJson client = new HttpJson("http://127.0.0.1:" + small.port());
            HttpJson.Response unknown = client.get("/api/v1/endpoints/nope/metrics");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            assertThat(unknown.json().get("message").asText()).contains("nope");

            monitor.record(new ScoringRecord("default", "fraud", "blue", clock.millis(), 3_000_000, 200, 10, 10));
            JsonNode points = client.get("/api/v1/endpoints/fraud/metrics?bucket=1h").json().get("points");
            long total = 0;
            for (JsonNode point : points) {
                total += point.get("requests").asLong();
            }
            assertThat(total).isEqualTo(1);
        } finally {
            small.close();
            monitor.close();
        }
    }
}
