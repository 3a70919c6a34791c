package dev.atelier.server.tracking;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal's reads through the store: chart downsampling by seeking, and run counts. */
abstract class MetricSamplesContract extends TrackingStoreFixture {
    private String runWithPoints(int count, int stepEvery) {
        String runId = createRun(workspace, 0, now()).runId();
        for (int start = 0; start < count; start += 1000) {
            List<Metric> batch = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 1000); i++) {
                batch.add(new Metric("loss", 1.0 / (i + 1), 1_000L + i, (long) i * stepEvery));
            }
            store.logBatch(runId, batch, List.of(), List.of());
        }
        return runId;
    }

    private static List<Long> steps(List<Metric> points) {
        return points.stream().map(Metric::step).toList();
    }

    @Test
    void historyWithFewerPointsThanAskedIsReturnedWhole() {
        String runId = runWithPoints(10, 1);
        assertThat(steps(store.sampleMetricHistory(runId, "loss", Long.MIN_VALUE, Long.MAX_VALUE, 1000)))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(store.sampleMetricHistory(runId, "missing", Long.MIN_VALUE, Long.MAX_VALUE, 1000)).isEmpty();
    }

    @Test
    void longHistoryIsSampledEvenlyKeepingFirstAndLastStep() {
        String runId = runWithPoints(5000, 1);
        List<Long> steps = steps(store.sampleMetricHistory(runId, "loss", Long.MIN_VALUE, Long.MAX_VALUE, 100));
        assertThat(steps).hasSize(100).startsWith(0L).endsWith(4999L).isSorted().doesNotHaveDuplicates();
        assertThat(steps.get(50) - steps.get(49)).isBetween(49L, 52L);
    }

    @Test
    void sampledPointsAreRealPointsWithinTheRange() {
        String runId = runWithPoints(3000, 7);
        List<Metric> points = store.sampleMetricHistory(runId, "loss", 700, 14_000, 50);
        assertThat(steps(points)).hasSizeLessThanOrEqualTo(50).startsWith(700L).endsWith(14_000L)
                .allMatch(step -> step % 7 == 0 && step >= 700 && step <= 14_000);
        Metric first = points.get(0);
        assertThat(first.value()).isEqualTo(1.0 / 101);
        assertThat(first.timestamp()).isEqualTo(1_100L);
    }

    @Test
    void historiesOfManyRunsAreSampledInOneReadAndStayInTheirWorkspace() {
        String longRun = runWithPoints(5000, 1);
        String shortRun = runWithPoints(10, 1);
        String elsewhere = createRun(newWorkspace(), 0, now()).runId();
        store.logBatch(elsewhere, List.of(new Metric("loss", 1, 1, 0), new Metric("loss", 2, 2, 1)), List.of(), List.of());
        var sampled = store.sampleMetricHistories(workspace, List.of(longRun, shortRun, elsewhere), List.of("loss", "missing"), 100);
        assertThat(sampled).containsOnlyKeys(longRun, shortRun);
        assertThat(sampled.get(longRun)).containsOnlyKeys("loss");
        assertThat(steps(sampled.get(longRun).get("loss"))).hasSize(100).startsWith(0L).endsWith(4999L).isSorted()
                .isEqualTo(steps(store.sampleMetricHistory(longRun, "loss", Long.MIN_VALUE, Long.MAX_VALUE, 100)));
        assertThat(steps(sampled.get(shortRun).get("loss"))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(store.sampleMetricHistories(workspace, List.of(), List.of("loss"), 100)).isEmpty();
    }

    @Test
    void runCountsHoldActiveAndRunningRuns() {
        createRun(workspace, 0, now());
        String finished = createRun(workspace, 0, now()).runId();
        String deleted = createRun(workspace, 0, now()).runId();
        store.updateRunInfo(finished, RunStatus.FINISHED, Optional.of(now()), Optional.empty());
        store.deleteRun(deleted, now());
        assertThat(store.countRuns(workspace)).isEqualTo(new TrackingStore.RunCounts(2, 1));
    }
}
