package dev.atelier.server.monitoring;

import dev.atelier.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics and drift report stores' contract, run on SQLite and on PostgreSQL by the subclasses. */
abstract class EndpointMonitoringStoreContract {
    private static final long T0 = 1_700_000_040_000L;
    private Database database;
    private EndpointMetricsStore metrics;
    private DriftReportStore reports;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        metrics = new JdbcEndpointMetricsStore(database, Clock.systemUTC());
        reports = new JdbcDriftReportStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static MinuteMetrics row(String workspace, String endpoint, String deployment, long minuteStart, long requests) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(2_000_000)] = requests;
        return new MinuteMetrics(workspace, endpoint, deployment, minuteStart, requests, 1, 2, requests * 2_000_000,
                LatencyHistogram.of(counts), requests * 100, 400, requests * 10, 70);
    }

    @Test
    void metricRowsKeepEveryFieldAndPartialRowsOfAMinuteStaySeparate() {
        MinuteMetrics first = row("ws", "fraud", "blue", T0, 5);
        metrics.insert(List.of(first, row("ws", "fraud", "blue", T0, 3), row("ws", "fraud", "green", T0 + 60_000, 4),
                row("ws", "other", "blue", T0, 9), row("other", "fraud", "blue", T0, 9)));
        List<MinuteMetrics> all = metrics.list("ws", "fraud", Optional.empty(), T0, T0 + 120_000);
        assertThat(all).extracting(MinuteMetrics::requests).containsExactlyInAnyOrder(5L, 3L, 4L);
        assertThat(all).contains(first);
        assertThat(all.getLast().minuteStart()).isEqualTo(T0 + 60_000);
        assertThat(metrics.list("ws", "fraud", Optional.of("green"), T0, T0 + 120_000)).extracting(MinuteMetrics::requests)
                .containsExactly(4L);
        assertThat(metrics.list("ws", "fraud", Optional.empty(), T0, T0 + 60_000)).hasSize(2);
        metrics.insert(List.of());
    }

    @Test
    void metricRowsAreDeletedByEndpointAndByWorkspace() {
        metrics.insert(List.of(row("ws", "fraud", "blue", T0, 5), row("ws", "other", "blue", T0, 9),
                row("gone", "fraud", "blue", T0, 1)));
        metrics.deleteEndpoint("ws", "fraud");
        assertThat(metrics.list("ws", "fraud", Optional.empty(), 0, Long.MAX_VALUE)).isEmpty();
        assertThat(metrics.list("ws", "other", Optional.empty(), 0, Long.MAX_VALUE)).hasSize(1);
        metrics.deleteWorkspace("gone");
        assertThat(metrics.list("gone", "fraud", Optional.empty(), 0, Long.MAX_VALUE)).isEmpty();
    }

    private static DriftReport report(String id, long createdAt, Optional<String> deployment) {
        return new DriftReport(id, "fraud", "data:ref:1", deployment, 10, 20, 1000, 50, true,
                List.of(new FeatureDrift("amount", FeatureDrift.Kind.NUMERIC, 0.31, FeatureDrift.Test.KOLMOGOROV_SMIRNOV, 0.4,
                                1e-5, true, 1000, 50, 0, 2),
                        new FeatureDrift("country", FeatureDrift.Kind.CATEGORICAL, 0.01, FeatureDrift.Test.CHI_SQUARE, 1.5, 0.47,
                                false, 990, 50, 10, 0)),
                List.of("label"), List.of("extra"), "alice", createdAt);
    }

    @Test
    void driftReportsRoundTripAndListNewestFirst() {
        DriftReport older = report("a1", 100, Optional.empty());
        DriftReport newer = report("b2", 200, Optional.of("blue"));
        reports.insert("ws", older);
        reports.insert("ws", newer);
        reports.insert("other", report("c3", 300, Optional.empty()));
        assertThat(reports.get("ws", "fraud", "a1")).contains(older);
        assertThat(reports.get("ws", "fraud", "b2")).contains(newer);
        assertThat(reports.get("ws", "fraud", "c3")).isEmpty();
        assertThat(reports.get("ws", "other-endpoint", "a1")).isEmpty();
        assertThat(reports.list("ws", "fraud", 10)).extracting(DriftReport::id).containsExactly("b2", "a1");
        assertThat(reports.list("ws", "fraud", 1)).extracting(DriftReport::id).containsExactly("b2");
        reports.deleteEndpoint("ws", "fraud");
        assertThat(reports.list("ws", "fraud", 10)).isEmpty();
        reports.deleteWorkspace("other");
        assertThat(reports.get("other", "fraud", "c3")).isEmpty();
    }
}
