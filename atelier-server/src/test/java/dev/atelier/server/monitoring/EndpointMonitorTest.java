package dev.atelier.server.monitoring;

import dev.atelier.server.testing.SettableClock;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EndpointMonitorTest {
    private static final long T0 = 1_700_000_040_000L;  // the start of a minute
    private static final long MINUTE = 60_000;

    private final InMemoryEndpointMetricsStore store = new InMemoryEndpointMetricsStore();
    private final SettableClock clock = new SettableClock(T0);
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EndpointMonitor monitor = new EndpointMonitor(store, meters, clock, Duration.ZERO);

    @AfterEach
    void close() {
        monitor.close();
    }

    private static ScoringRecord request(String deployment, long at, long latencyMillis, int status, long in, long out) {
        return new ScoringRecord("ws", "fraud", deployment, at, latencyMillis * 1_000_000, status, in, out);
    }

    @Test
    void aggregatesCountsErrorsAndPayloadsPerDeploymentAndMinute() {
        monitor.record(request("blue", T0 + 1_000, 2, 200, 100, 10));
        monitor.record(request("blue", T0 + 2_000, 4, 404, 300, 20));
        monitor.record(request("blue", T0 + 3_000, 6, 503, 200, 30));
        monitor.record(request("green", T0 + 4_000, 8, 200, 50, 5));
        monitor.record(request("blue", T0 + MINUTE + 1, 10, 200, 10, 1));
        clock.set(T0 + 2 * MINUTE + EndpointMonitor.GRACE_MILLIS + 1);
        monitor.flush();
        assertThat(store.snapshot()).as("minutes are written one cycle after they are handed over").isEmpty();
        monitor.flush();

        assertThat(store.snapshot()).hasSize(3);
        MinuteMetrics blue = store.list("ws", "fraud", Optional.of("blue"), T0, T0 + MINUTE).getFirst();
        assertThat(blue.minuteStart()).isEqualTo(T0);
        assertThat(blue.requests()).isEqualTo(3);
        assertThat(blue.clientErrors()).isEqualTo(1);
        assertThat(blue.serverErrors()).isEqualTo(1);
        assertThat(blue.latencySumNanos()).isEqualTo(12_000_000);
        assertThat(blue.latency().count()).isEqualTo(3);
        assertThat(blue.requestBytesSum()).isEqualTo(600);
        assertThat(blue.requestBytesMax()).isEqualTo(300);
        assertThat(blue.responseBytesSum()).isEqualTo(60);
        assertThat(blue.responseBytesMax()).isEqualTo(30);
    }

    @Test
    void seriesMergesWrittenRowsWithMinutesStillInMemory() {
        for (int i = 0; i < 90; i++) {
            monitor.record(request("blue", T0 + i, 1, 200, 100, 10));
        }
        clock.set(T0 + MINUTE + EndpointMonitor.GRACE_MILLIS + 1);
        monitor.flush();
        monitor.flush();
        assertThat(store.snapshot()).hasSize(1);
        for (int i = 0; i < 10; i++) {
            monitor.record(request("green", T0 + i, 100, 500, 300, 30));  // late requests of the written minute
        }
        monitor.record(request("blue", T0 + MINUTE, 1, 200, 100, 10));  // the current minute

        List<MetricsPoint> points = monitor.series("ws", "fraud", Optional.empty(), T0, T0 + 2 * MINUTE, 2 * MINUTE);
        assertThat(points).hasSize(1);
        MetricsPoint point = points.getFirst();
        assertThat(point.requests()).isEqualTo(101);
        assertThat(point.serverErrors()).isEqualTo(10);
        assertThat(point.latencyP50Ms()).isCloseTo(1.0, within(0.2));
        assertThat(point.latencyP99Ms()).isCloseTo(100.0, within(20.0));
        assertThat(point.requestBytesMean()).isCloseTo((91 * 100 + 10 * 300) / 101.0, within(1e-9));
        assertThat(point.requestBytesMax()).isEqualTo(300);

        List<MetricsPoint> blueOnly = monitor.series("ws", "fraud", Optional.of("blue"), T0, T0 + 2 * MINUTE, MINUTE);
        assertThat(blueOnly).extracting(MetricsPoint::requests).containsExactly(90L, 1L);
        assertThat(monitor.series("ws", "other", Optional.empty(), T0, T0 + MINUTE, MINUTE))
                .extracting(MetricsPoint::requests).containsExactly(0L);
    }

    @Test
    void lateRequestsOfAWrittenMinuteAddAnotherRowAndNothingIsCountedTwice() {
        monitor.record(request("blue", T0, 1, 200, 1, 1));
        clock.set(T0 + MINUTE + EndpointMonitor.GRACE_MILLIS + 1);
        monitor.flush();
        monitor.flush();
        monitor.record(request("blue", T0 + 5, 1, 200, 1, 1));
        monitor.flush();
        monitor.flush();
        assertThat(store.snapshot()).extracting(MinuteMetrics::requests).containsExactly(1L, 1L);
        assertThat(monitor.series("ws", "fraud", Optional.empty(), T0, T0 + MINUTE, MINUTE).getFirst().requests()).isEqualTo(2);
    }

    @Test
    void closeWritesTheCurrentMinuteToo() {
        monitor.record(request("blue", T0 + 10, 3, 200, 1, 1));
        monitor.close();
        assertThat(store.snapshot()).extracting(MinuteMetrics::requests).containsExactly(1L);
    }

    @Test
    void minutesAreKeptForTheNextFlushWhileTheStoreFails() {
        monitor.record(request("blue", T0, 3, 200, 1, 1));
        clock.set(T0 + MINUTE + EndpointMonitor.GRACE_MILLIS + 1);
        monitor.flush();
        store.failing = true;
        org.assertj.core.api.Assertions.assertThatThrownBy(monitor::flush).isInstanceOf(IllegalStateException.class);
        assertThat(monitor.series("ws", "fraud", Optional.empty(), T0, T0 + MINUTE, MINUTE).getFirst().requests()).isEqualTo(1);
        store.failing = false;
        monitor.flush();
        assertThat(store.snapshot()).extracting(MinuteMetrics::requests).containsExactly(1L);
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String deployment = t % 2 == 0 ? "blue" : "green";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        monitor.record(request(deployment, T0 + i % MINUTE, 1 + i % 7, i % 100 == 0 ? 500 : 200, 10, 10));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        MetricsPoint point = monitor.series("ws", "fraud", Optional.empty(), T0, T0 + MINUTE, MINUTE).getFirst();
        assertThat(point.requests()).isEqualTo((long) threads * perThread);
        assertThat(point.serverErrors()).isEqualTo((long) threads * perThread / 100);
    }

    @Test
    void exportsRequestCountsByStatusClassAndLatencyHistogramsToPrometheus() {
        monitor.record(request("blue", T0, 2, 200, 10, 20));
        monitor.record(request("blue", T0, 2, 201, 10, 20));
        monitor.record(request("blue", T0, 2, 503, 10, 20));
        String scrape = meters.scrape();
        assertThat(scrape).contains("atelier_endpoint_requests_total{deployment=\"blue\",endpoint=\"fraud\",status=\"2xx\",workspace=\"ws\"} 2.0");
        assertThat(scrape).contains("atelier_endpoint_requests_total{deployment=\"blue\",endpoint=\"fraud\",status=\"5xx\",workspace=\"ws\"} 1.0");
        // A histogram (buckets add up across replicas), not a summary: 2 ms falls in the 2 ms bucket, not the 1 ms one.
        assertThat(scrape).contains("atelier_endpoint_latency_seconds_bucket{deployment=\"blue\",endpoint=\"fraud\",workspace=\"ws\",le=\"0.002\"} 3");
        assertThat(scrape).contains("atelier_endpoint_latency_seconds_bucket{deployment=\"blue\",endpoint=\"fraud\",workspace=\"ws\",le=\"0.001\"} 0");
        assertThat(scrape).doesNotContain("quantile=");
        assertThat(scrape).contains("atelier_endpoint_latency_seconds_count{deployment=\"blue\",endpoint=\"fraud\",workspace=\"ws\"} 3");
        assertThat(scrape).contains("atelier_endpoint_request_size_bytes_sum{deployment=\"blue\",endpoint=\"fraud\",workspace=\"ws\"} 30.0");

        monitor.forgetEndpoint("ws", "fraud");
        assertThat(meters.scrape()).doesNotContain("endpoint=\"fraud\"");
        assertThat(monitor.series("ws", "fraud", Optional.empty(), T0, T0 + MINUTE, MINUTE).getFirst().requests()).isZero();
    }
}
