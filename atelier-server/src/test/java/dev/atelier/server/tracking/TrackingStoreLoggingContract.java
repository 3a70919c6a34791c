package dev.atelier.server.tracking;

import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The behaviour of a {@link TrackingStore}'s logging (metrics, params, tags, inputs) and garbage collection, on each database. */
abstract class TrackingStoreLoggingContract extends TrackingStoreFixture {
    // ---- logging

    @Test
    void paramsAreWriteOnceAndAConflictWritesNothingOfTheBatch() {
        String runId = createRun(workspace, 0, 1).runId();
        store.logBatch(runId, List.of(), List.of(new KeyValue("lr", "0.1")), List.of());
        store.logBatch(runId, List.of(), List.of(new KeyValue("lr", "0.1")), List.of());

        assertErrorCode(() -> store.logBatch(runId, List.of(new Metric("loss", 1.0, 10, 0)),
                        List.of(new KeyValue("new", "x"), new KeyValue("lr", "0.2")), List.of(new KeyValue("tag", "y"))),
                ErrorCode.INVALID_PARAMETER_VALUE);

        RunData data = store.getRun(workspace, runId).orElseThrow().data();
        assertThat(data.params()).containsExactly(new KeyValue("lr", "0.1"));
        assertThat(data.metrics()).isEmpty();
        assertThat(data.tags()).isEmpty();
        assertThat(store.getMetricHistory(runId, "loss", 10, 0)).isEmpty();
    }

    @Test
    void latestMetricIsTheGreatestStepThenTimestampThenValue() {
        String runId = createRun(workspace, 0, 1).runId();
        store.logBatch(runId, List.of(new Metric("m", 1.0, 10, 2), new Metric("m", 9.0, 50, 1)), List.of(), List.of());
        assertThat(latest(runId, "m")).isEqualTo(new Metric("m", 1.0, 10, 2));

        store.logBatch(runId, List.of(new Metric("m", 0.5, 10, 2), new Metric("m", 100.0, 5, 2)), List.of(), List.of());
        assertThat(latest(runId, "m")).isEqualTo(new Metric("m", 1.0, 10, 2));

        store.logBatch(runId, List.of(new Metric("m", 3.0, 10, 2)), List.of(), List.of());
        assertThat(latest(runId, "m")).isEqualTo(new Metric("m", 3.0, 10, 2));

        store.logBatch(runId, List.of(new Metric("m", -7.0, 11, 2)), List.of(), List.of());
        assertThat(latest(runId, "m")).isEqualTo(new Metric("m", -7.0, 11, 2));

        store.logBatch(runId, List.of(new Metric("m", -8.0, 1, 3), new Metric("m", -9.0, 0, 3)), List.of(), List.of());
        assertThat(latest(runId, "m")).isEqualTo(new Metric("m", -8.0, 1, 3));
        assertThat(store.getMetricHistory(runId, "m", 100, 0)).hasSize(8);
    }

    @Test
    void nanAndInfinitiesRoundTripExactly() {
        String runId = createRun(workspace, 0, 1).runId();
        // -0.0 is left out: SQLite stores it as 0 (so does MLflow on SQLite), and no client tells them apart.
        double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE,
                -Double.MAX_VALUE, 0.1, 1.0 / 3};
        List<Metric> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new Metric("history", values[i], 100, i));
            store.logBatch(runId, List.of(new Metric("latest" + i, values[i], 100, 0)), List.of(), List.of());
        }
        store.logBatch(runId, points, List.of(), List.of());

        assertThat(store.getMetricHistory(runId, "history", 100, 0)).extracting(metric -> Double.doubleToLongBits(metric.value()))
                .containsExactlyElementsOf(points.stream().map(metric -> Double.doubleToLongBits(metric.value())).toList());
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToLongBits(latest(runId, "latest" + i).value())).as("latest of %s", values[i])
                    .isEqualTo(Double.doubleToLongBits(values[i]));
        }
    }

    @Test
    void metricHistoryIsOrderedByStepThenTimestampAndPagesWithLimitAndOffset() {
        String runId = createRun(workspace, 0, 1).runId();
        String otherRun = createRun(workspace, 0, 2).runId();
        List<Metric> shuffled = new ArrayList<>();
        for (int step = 24; step >= 0; step--) {
            shuffled.add(new Metric("loss", step * 0.5, 1_000 - step, step / 2));
        }
        store.logBatch(runId, shuffled, List.of(), List.of());
        store.logBatch(runId, List.of(new Metric("acc", 1, 1, 1)), List.of(), List.of());
        store.logBatch(otherRun, List.of(new Metric("loss", 1, 1, 1)), List.of(), List.of());
        List<Metric> ordered = shuffled.stream()
                .sorted(java.util.Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)).toList();

        assertThat(store.getMetricHistory(runId, "loss", Integer.MAX_VALUE, 0)).containsExactlyElementsOf(ordered);
        assertThat(store.getMetricHistory(runId, "loss", 11, 0)).containsExactlyElementsOf(ordered.subList(0, 11));
        assertThat(store.getMetricHistory(runId, "loss", 11, 10)).containsExactlyElementsOf(ordered.subList(10, 21));
        assertThat(store.getMetricHistory(runId, "loss", 11, 20)).containsExactlyElementsOf(ordered.subList(20, 25));
        assertThat(store.getMetricHistory(runId, "missing", 11, 0)).isEmpty();
    }

    @Test
    void metricStepsAreDistinctWithinTheRangeAndPointsAtStepsAreOrdered() {
        String runId = createRun(workspace, 0, 1).runId();
        store.logBatch(runId, List.of(new Metric("m", 1, 20, 5), new Metric("m", 2, 10, 5), new Metric("m", 3, 1, 1),
                new Metric("m", 4, 1, 9), new Metric("m", 5, 1, 12), new Metric("other", 6, 1, 7)), List.of(), List.of());

        assertThat(store.getMetricSteps(runId, "m", Long.MIN_VALUE, Long.MAX_VALUE)).containsExactly(1L, 5L, 9L, 12L);
        assertThat(store.getMetricSteps(runId, "m", 5, 9)).containsExactly(5L, 9L);
        assertThat(store.getMetricsAtSteps(runId, "m", List.of(12L, 5L)))
                .containsExactly(new Metric("m", 2, 10, 5), new Metric("m", 1, 20, 5), new Metric("m", 5, 1, 12));
        assertThat(store.getMetricsAtSteps(runId, "m", List.of())).isEmpty();
        assertThat(store.getMetricsAtSteps(runId, "m", List.of(7L))).isEmpty();
    }

    @Test
    void runTagsAreOverwrittenAndDeletedAndTheRunNameTagRenamesTheRun() {
        String runId = createRun(workspace, 0, 1).runId();
        store.logBatch(runId, List.of(), List.of(), List.of(new KeyValue("k", "1")));
        store.logBatch(runId, List.of(), List.of(), List.of(new KeyValue("k", "2"), new KeyValue(TrackingService.RUN_NAME_TAG, "named")));

        assertThat(store.getRun(workspace, runId).orElseThrow().data().tags())
                .containsExactly(new KeyValue("k", "2"), new KeyValue(TrackingService.RUN_NAME_TAG, "named"));
        assertThat(store.getRunInfo(workspace, runId).orElseThrow().runName()).isEqualTo("named");
        assertThat(store.deleteTag(runId, "k")).isTrue();
        assertThat(store.deleteTag(runId, "k")).isFalse();
        assertThat(store.getRun(workspace, runId).orElseThrow().data().tags()).extracting(KeyValue::key)
                .containsExactly(TrackingService.RUN_NAME_TAG);
    }

    @Test
    void datasetsAreSharedByNameAndDigestWithinAnExperimentAndInputTagsOverwrite() {
        long experiment = id(createExperiment(workspace, "data"));
        long otherExperiment = id(createExperiment(workspace, "data2"));
        String first = createRun(workspace, experiment, 1).runId();
        String second = createRun(workspace, experiment, 2).runId();
        String elsewhere = createRun(workspace, otherExperiment, 3).runId();
        Dataset train = new Dataset("train", "d1", "local", "{\"uri\":\"a\"}", "{\"schema\":1}", null);
        Dataset trainV2 = new Dataset("train", "d2", "local", "{\"uri\":\"b\"}", null, null);

        store.logInputs(workspace, experiment, first, List.of(input(train, "mlflow.data.context", "training")));
        store.logInputs(workspace, experiment, first, List.of(input(train, "mlflow.data.context", "eval"), input(trainV2)));
        store.logInputs(workspace, experiment, second, List.of(input(train)));
        store.logInputs(workspace, otherExperiment, elsewhere, List.of(input(train)));

        assertThat(store.getRun(workspace, first).orElseThrow().inputs().datasetInputs()).containsExactly(
                input(train, "mlflow.data.context", "eval"), input(trainV2));
        assertThat(store.getRun(workspace, second).orElseThrow().inputs().datasetInputs()).containsExactly(input(train));
        assertThat(count("SELECT COUNT(*) FROM datasets WHERE workspace = ? AND experiment_id = ?", workspace, experiment)).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM datasets WHERE workspace = ? AND experiment_id = ?", workspace, otherExperiment)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM run_inputs WHERE run_uuid = ?", first)).isEqualTo(2);
    }

    @Test
    void concurrentBatchesToOneRunAreAllKept() throws Exception {
        String runId = createRun(workspace, 0, 1).runId();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                int base = writer * 1_000;
                writes.add(pool.submit(() -> {
                    for (int batch = 0; batch < 10; batch++) {
                        List<Metric> points = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            points.add(new Metric("m", base + batch * 50 + i, 1, base + batch * 50 + i));
                        }
                        store.logBatch(runId, points, List.of(), List.of());
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        }
        assertThat(store.getMetricHistory(runId, "m", 10_000, 0)).hasSize(2_000);
        assertThat(latest(runId, "m")).isEqualTo(new Metric("m", 3_499, 1, 3_499));
    }

    // ---- garbage collection

    @Test
    void purgeRunsRemovesEveryRowOfTheRunsAndCountsThem() {
        long experiment = id(createExperiment(workspace, "purge"));
        String doomed = createRun(workspace, experiment, 1).runId();
        String kept = createRun(workspace, experiment, 2).runId();
        for (String runId : List.of(doomed, kept)) {
            store.logBatch(runId, List.of(new Metric("a", 1, 1, 1), new Metric("a", 2, 2, 2), new Metric("b", 3, 3, 3)),
                    List.of(new KeyValue("p1", "x"), new KeyValue("p2", "y")), List.of(new KeyValue("t", "z")));
            store.logInputs(workspace, experiment, runId, List.of(input(new Dataset("d", "1", "local", "s", null, null), "k", "v")));
        }
        store.deleteRun(doomed, now());

        GarbageReport report = store.purgeRuns(List.of(doomed));

        assertThat(report).isEqualTo(new GarbageReport(1, 0, 3, 2, 1, 0));
        assertThat(store.getRun(workspace, doomed)).isEmpty();
        String points = "SELECT COUNT(*) FROM metric_chunks p JOIN metric_series s ON s.series_id = p.series_id WHERE s.run_uuid = ?";
        assertThat(count(points, doomed)).as("metric points").isZero();
        assertThat(count(points, kept)).as("metric points").isPositive();
        assertThat(count("SELECT COUNT(*) FROM metric_chunks WHERE series_id NOT IN (SELECT series_id FROM metric_series)")).isZero();
        for (String table : List.of("metric_series", "latest_metrics", "params", "tags", "run_inputs", "run_input_tags", "runs")) {
            assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE run_uuid = ?", doomed)).as(table).isZero();
            assertThat(count("SELECT COUNT(*) FROM " + table + " WHERE run_uuid = ?", kept)).as(table).isPositive();
        }
        assertThat(store.getRun(workspace, kept).orElseThrow().data().metrics()).hasSize(2);
    }

    @Test
    void purgeExperimentRemovesItsTagsAndDatasetsAndFreesItsName() {
        long experiment = id(store.createExperiment(workspace, "gone", Optional.empty(), List.of(new KeyValue("k", "v")), now()));
        String runId = createRun(workspace, experiment, 1).runId();
        store.logInputs(workspace, experiment, runId, List.of(input(new Dataset("d", "1", "local", "s", null, null))));
        store.deleteExperiment(workspace, experiment, now());
        store.purgeRuns(List.of(runId));

        store.purgeExperiment(workspace, experiment);

        assertThat(store.getExperiment(workspace, experiment)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM experiment_tags WHERE workspace = ?", workspace)).isZero();
        assertThat(count("SELECT COUNT(*) FROM datasets WHERE workspace = ?", workspace)).isZero();
        assertThat(store.findDeletedExperiments(Optional.of(workspace), Long.MAX_VALUE)).isEmpty();
        assertThat(createExperiment(workspace, "gone").experimentId()).isEqualTo("2");
    }

    @Test
    void deletedRunsAndExperimentsAreFoundOnlyOnceOldEnough() {
        String other = newWorkspace();
        long oldExperiment = id(createExperiment(workspace, "old"));
        long newExperiment = id(createExperiment(workspace, "new"));
        long otherExperiment = id(createExperiment(other, "other"));
        String oldRun = createRun(workspace, 0, 1).runId();
        String newRun = createRun(workspace, 0, 2).runId();
        String activeRun = createRun(workspace, 0, 3).runId();
        String otherRun = createRun(other, 0, 4).runId();
        store.deleteRun(oldRun, 1_000);
        store.deleteRun(newRun, 2_000);
        store.deleteRun(otherRun, 1_000);
        store.deleteExperiment(workspace, oldExperiment, 1_000);
        store.deleteExperiment(workspace, newExperiment, 2_000);
        store.deleteExperiment(other, otherExperiment, 1_000);

        assertThat(store.findDeletedRuns(Optional.of(workspace), 1_500))
                .containsExactly(new TrackingStore.DeletedRun(workspace, oldRun, runInfo(oldRun).artifactUri()));
        assertThat(store.findDeletedRuns(Optional.of(workspace), 2_000)).extracting(TrackingStore.DeletedRun::runId)
                .containsExactly(oldRun, newRun).doesNotContain(activeRun);
        assertThat(store.findDeletedRuns(Optional.empty(), 1_500)).extracting(TrackingStore.DeletedRun::runId)
                .contains(oldRun, otherRun).doesNotContain(newRun, activeRun);
        assertThat(store.findDeletedExperiments(Optional.of(workspace), 1_500))
                .containsExactly(new TrackingStore.DeletedExperiment(workspace, oldExperiment, "mlflow-artifacts:/" + oldExperiment));
        assertThat(store.findDeletedExperiments(Optional.of(workspace), 2_000)).extracting(TrackingStore.DeletedExperiment::experimentId)
                .containsExactly(oldExperiment, newExperiment);
        assertThat(store.findDeletedExperiments(Optional.empty(), 1_500))
                .extracting(TrackingStore.DeletedExperiment::workspace, TrackingStore.DeletedExperiment::experimentId)
                .contains(tuple(workspace, oldExperiment), tuple(other, otherExperiment))
                .doesNotContain(tuple(workspace, newExperiment));
    }

    @Test
    void holdsDataOnceTheWorkspaceHasARunOrAnExperimentBesidesDefault() {
        String withRun = newWorkspace();
        assertThat(store.holdsData(workspace)).isFalse();

        createExperiment(workspace, "something");
        createRun(withRun, 0, 1);

        assertThat(store.holdsData(workspace)).isTrue();
        assertThat(store.holdsData(withRun)).isTrue();
        assertThat(store.holdsData(newWorkspace())).isFalse();
    }

    /** 16 requests at a barrier each: the same param (same value) into one run, the same dataset into 16 runs. */
    @Test
    void concurrentLoggingOfTheSameParamOrDatasetSucceeds() throws Exception {
        long experiment = id(createExperiment(workspace, "raced-logging"));
        String runId = createRun(workspace, experiment, 1).runId();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            runs.add(createRun(workspace, experiment, 2 + i).runId());
        }
        Dataset shared = new Dataset("shared", "d1", "local", "{\"uri\":\"a\"}", null, null);
        atBarrier(16, i -> store.logBatch(runId, List.of(), List.of(new KeyValue("lr", "0.1")), List.of()));
        atBarrier(16, i -> store.logInputs(workspace, experiment, runs.get(i), List.of(input(shared))));
        assertThat(store.getRun(workspace, runId).orElseThrow().data().params()).containsExactly(new KeyValue("lr", "0.1"));
        assertThat(count("SELECT COUNT(*) FROM datasets WHERE workspace = ? AND experiment_id = ?", workspace, experiment)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM run_inputs WHERE run_uuid IN (<runs>)".replace("<runs>",
                String.join(", ", runs.stream().map(run -> "'" + run + "'").toList())))).isEqualTo(16);
        assertThatThrownBy(() -> store.logBatch(runId, List.of(), List.of(new KeyValue("lr", "0.2")), List.of()))
                .isInstanceOf(AtelierException.class).hasMessageContaining("Changing param values is not allowed");
    }

    /**
     * 16 requests at a barrier, each setting the same 20 tags and metrics of one run in an order of its own: none fails
     * (rows are written in key order, and a deadlock victim is run again).
     */
    @Test
    void concurrentBatchesOfOneRunsTagsInDifferentOrdersAllSucceed() throws Exception {
        long experiment = id(createExperiment(workspace, "raced-tags"));
        String runId = createRun(workspace, experiment, 1).runId();
        atBarrier(16, i -> {
            List<KeyValue> tags = new ArrayList<>();
            List<Metric> metrics = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                int key = (k * 7 + i) % 20; // another order per request
                tags.add(new KeyValue("tag-" + key, "value-" + i));
                metrics.add(new Metric("metric-" + key, i, 1_000 + i, i));
            }
            java.util.Collections.rotate(tags, i);
            store.logBatch(runId, metrics, List.of(), tags);
        });
        assertThat(store.getRun(workspace, runId).orElseThrow().data().tags()).filteredOn(tag -> tag.key().startsWith("tag-")).hasSize(20);
    }

    private static void atBarrier(int threads, java.util.function.IntConsumer call) throws Exception {
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    barrier.await();
                    call.accept(index);
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
