package dev.atelier.server.tracking;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How histories stored as chunks read back: in (step, timestamp) order whatever order the batches
 * came in, equal points in logging order, pages that cross chunk boundaries, small batches merged.
 */
abstract class MetricHistoryContract extends TrackingStoreFixture {
    private static final Comparator<Metric> ORDER = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp);

    @Test
    void batchesLoggedOutOfStepOrderReadBackInStepOrderWithTiesInLoggingOrder() {
        String runId = createRun(workspace, 0, 1).runId();
        List<Metric> logged = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<Metric> points = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int step = (batch % 2 == 0 ? 1_000 : 0) + i;
                points.add(new Metric("m", batch * 1_000 + i, 5, step));
            }
            store.logBatch(runId, points, List.of(), List.of());
            logged.addAll(points);
        }
        List<Metric> expected = logged.stream().sorted(ORDER).toList();

        assertThat(store.getMetricHistory(runId, "m", Integer.MAX_VALUE, 0)).containsExactlyElementsOf(expected);
        assertThat(store.getMetricHistory(runId, "m", 250, 700)).containsExactlyElementsOf(expected.subList(700, 950));
        assertThat(store.getMetricSteps(runId, "m", 298, 1_001)).containsExactly(298L, 299L, 1_000L, 1_001L);
        assertThat(store.getMetricsAtSteps(runId, "m", List.of(1_000L)))
                .extracting(Metric::value).containsExactly(0.0, 2_000.0, 4_000.0);
    }

    @Test
    void aLongSeriesPagesAcrossChunkBoundaries() {
        String runId = createRun(workspace, 0, 1).runId();
        List<Metric> logged = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            logged.add(new Metric("long", i * 0.25, 1_000 + i, i));
        }
        store.logBatch(runId, logged, List.of(), List.of());
        store.logBatch(runId, List.of(new Metric("long", -1, 1, 10_000)), List.of(), List.of());
        logged.add(new Metric("long", -1, 1, 10_000));

        for (int offset : new int[] {0, 4_000, 4_095, 4_096, 8_190, 9_999}) {
            assertThat(store.getMetricHistory(runId, "long", 101, offset))
                    .as("page at %d", offset)
                    .containsExactlyElementsOf(logged.subList(offset, Math.min(logged.size(), offset + 101)));
        }
        assertThat(store.getMetricHistory(runId, "long", 10, 10_001)).isEmpty();
    }

    @Test
    void pointsLoggedOneAtATimeShareChunks() {
        String runId = createRun(workspace, 0, 1).runId();
        for (int step = 0; step < 300; step++) {
            store.logBatch(runId, List.of(new Metric("single", step, step, step)), List.of(), List.of());
        }

        assertThat(store.getMetricHistory(runId, "single", 1_000, 0)).extracting(Metric::step)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 300).boxed().toList());
        long chunks = database.read(handle -> handle.createQuery("""
                        SELECT COUNT(*) FROM metric_chunks c JOIN metric_series s ON s.series_id = c.series_id
                        WHERE s.run_uuid = :run AND s.key = 'single'
                        """)
                .bind("run", runId).mapTo(Long.class).one());
        assertThat(chunks).isLessThanOrEqualTo(300 / MetricRows.MERGE_BELOW + 1);
    }
}
