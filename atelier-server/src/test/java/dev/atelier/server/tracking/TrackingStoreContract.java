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

/** The behaviour of a {@link TrackingStore}'s experiments and runs, run against each database Atelier supports. */
abstract class TrackingStoreContract extends TrackingStoreFixture {
    // ---- experiments

    @Test
    void experimentIdsOfEachWorkspaceStartAtZeroWithDefault() {
        String other = newWorkspace();
        assertThat(store.getExperiment(workspace, 0)).get().extracting(Experiment::name).isEqualTo("Default");

        assertThat(createExperiment(workspace, "first").experimentId()).isEqualTo("1");
        assertThat(createExperiment(workspace, "second").experimentId()).isEqualTo("2");
        assertThat(createExperiment(other, "first").experimentId()).isEqualTo("1");

        store.ensureDefaultExperiment(workspace, now());
        assertThat(createExperiment(workspace, "third").experimentId()).isEqualTo("3");
    }

    /** 16 creations of one name at a barrier: one experiment, and each other creation refused as MLflow refuses it. */
    @Test
    void concurrentCreationsOfOneNameMakeOneExperiment() throws Exception {
        int threads = 16;
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Optional<ErrorCode>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    barrier.await();
                    try {
                        store.createExperiment(workspace, "raced", Optional.empty(), List.of(), now());
                        return Optional.<ErrorCode>empty();
                    } catch (AtelierException e) {
                        return Optional.of(e.errorCode());
                    }
                }));
            }
            List<Optional<ErrorCode>> outcomes = new ArrayList<>();
            for (Future<Optional<ErrorCode>> result : results) {
                outcomes.add(result.get()); // anything but an AtelierException fails here
            }
            assertThat(outcomes.stream().filter(Optional::isEmpty)).hasSize(1);
            assertThat(outcomes.stream().flatMap(Optional::stream)).hasSize(threads - 1)
                    .containsOnly(ErrorCode.RESOURCE_ALREADY_EXISTS);
            assertThat(store.getExperimentByName(workspace, "raced")).isPresent();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createExperimentStoresLocationTagsAndTimes() {
        long time = now();
        Experiment defaulted = store.createExperiment(workspace, "defaulted", Optional.empty(),
                List.of(new KeyValue("team", "vision"), new KeyValue("a", "1")), time);
        Experiment located = store.createExperiment(workspace, "located", Optional.of("s3://bucket/x"), List.of(), time);

        assertThat(defaulted.artifactLocation()).isEqualTo("mlflow-artifacts:/1");
        assertThat(defaulted.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(defaulted.creationTime()).isEqualTo(time);
        assertThat(defaulted.lastUpdateTime()).isEqualTo(time);
        assertThat(defaulted.tags()).containsExactly(new KeyValue("a", "1"), new KeyValue("team", "vision"));
        assertThat(located.artifactLocation()).isEqualTo("s3://bucket/x");
        assertThat(store.getExperimentByName(workspace, "located")).contains(located);
        assertThat(store.getExperimentByName(workspace, "missing")).isEmpty();
        assertThat(store.getExperiment(workspace, 99)).isEmpty();
    }

    @Test
    void createExperimentRejectsATakenNameAndKeepsTheCounter() {
        createExperiment(workspace, "taken");

        assertErrorCode(() -> createExperiment(workspace, "taken"), ErrorCode.RESOURCE_ALREADY_EXISTS);
        assertErrorCode(() -> createExperiment(workspace, "Default"), ErrorCode.RESOURCE_ALREADY_EXISTS);
        assertThat(createExperiment(workspace, "next").experimentId()).isEqualTo("2");
    }

    @Test
    void renameExperimentRejectsATakenNameAndFreesTheOldOne() {
        long id = id(createExperiment(workspace, "old"));
        createExperiment(workspace, "other");

        assertErrorCode(() -> store.renameExperiment(workspace, id, "other", now()), ErrorCode.RESOURCE_ALREADY_EXISTS);
        store.renameExperiment(workspace, id, "old", now());
        long renamedAt = now();
        store.renameExperiment(workspace, id, "new", renamedAt);

        assertThat(store.getExperiment(workspace, id)).get()
                .extracting(Experiment::name, Experiment::lastUpdateTime).containsExactly("new", renamedAt);
        assertThat(store.getExperimentByName(workspace, "old")).isEmpty();
        assertThat(createExperiment(workspace, "old").experimentId()).isEqualTo("3");
    }

    @Test
    void experimentTagsAreOverwrittenAndDeleted() {
        long id = id(createExperiment(workspace, "tagged"));
        store.setExperimentTag(workspace, id, new KeyValue("k", "v1"));
        store.setExperimentTag(workspace, id, new KeyValue("k", "v2"));

        assertThat(store.getExperiment(workspace, id).orElseThrow().tags()).containsExactly(new KeyValue("k", "v2"));
        assertThat(store.deleteExperimentTag(workspace, id, "k")).isTrue();
        assertThat(store.deleteExperimentTag(workspace, id, "k")).isFalse();
        assertThat(store.getExperiment(workspace, id).orElseThrow().tags()).isEmpty();
    }

    @Test
    void deleteAndRestoreExperimentCascadeOnlyToRunsDeletedWithIt() {
        long id = id(createExperiment(workspace, "lifecycle"));
        String deletedBefore = createRun(workspace, id, 1).runId();
        String deletedWith = createRun(workspace, id, 2).runId();
        store.deleteRun(deletedBefore, 1_000);

        store.deleteExperiment(workspace, id, 2_000);
        assertThat(store.getExperiment(workspace, id).orElseThrow().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(stageOf(deletedWith)).isEqualTo(LifecycleStage.DELETED);

        store.restoreExperiment(workspace, id, 3_000);
        Experiment restored = store.getExperiment(workspace, id).orElseThrow();
        assertThat(restored.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(restored.lastUpdateTime()).isEqualTo(3_000);
        assertThat(stageOf(deletedWith)).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(stageOf(deletedBefore)).isEqualTo(LifecycleStage.DELETED);
        assertThat(store.findDeletedRuns(Optional.of(workspace), Long.MAX_VALUE)).extracting(TrackingStore.DeletedRun::runId)
                .containsExactly(deletedBefore);
    }

    @Test
    void searchExperimentsPagesNewestFirstWithinTheView() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(id(store.createExperiment(workspace, "e" + i, Optional.empty(), List.of(), 10_000 + i)));
        }
        store.deleteExperiment(workspace, ids.get(4), now());
        ExperimentQuery active = new ExperimentQuery("", ViewType.ACTIVE_ONLY, List.of());

        // Default was created first (time 1): it comes last.
        assertThat(experimentIds(store.searchExperiments(workspace, active, 3, 0))).containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(experimentIds(store.searchExperiments(workspace, active, 3, 3))).containsExactly(ids.get(0), 0L);
        assertThat(experimentIds(store.searchExperiments(workspace, new ExperimentQuery("", ViewType.DELETED_ONLY, List.of()), 10, 0)))
                .containsExactly(ids.get(4));
        assertThat(store.searchExperiments(workspace, new ExperimentQuery("", ViewType.ALL, List.of()), 10, 0)).hasSize(6);
        assertThat(store.searchExperiments(newWorkspace(), active, 10, 0)).extracting(Experiment::experimentId).containsExactly("0");
    }

    // ---- runs

    @Test
    void createRunRefusesAMissingOrDeletedExperiment() {
        long experiment = id(createExperiment(workspace, "refusing"));
        store.deleteExperiment(workspace, experiment, 10);
        assertThat(store.createRun(workspace, new NewRun(newRunId(), experiment, "r", "u", RunStatus.RUNNING, 1), List.of())).isEmpty();
        assertThat(store.createRun(workspace, new NewRun(newRunId(), 987654, "r", "u", RunStatus.RUNNING, 1), List.of())).isEmpty();
        assertThat(store.createRun(newWorkspace(), new NewRun(newRunId(), experiment, "r", "u", RunStatus.RUNNING, 1), List.of())).isEmpty();
    }

    @Test
    void createRunStoresInfoAndTagsAndUpdateKeepsWhatIsNotGiven() {
        long experiment = id(createExperiment(workspace, "runs"));
        String runId = newRunId();
        RunInfo info = new RunInfo(runId, Long.toString(experiment), "brave-owl", "ada", RunStatus.RUNNING, 123L, null,
                "mlflow-artifacts:/" + experiment + "/" + runId + "/artifacts", LifecycleStage.ACTIVE, runId);
        assertThat(store.createRun(workspace, new NewRun(runId, experiment, "brave-owl", "ada", RunStatus.RUNNING, 123L),
                List.of(new KeyValue(TrackingService.RUN_NAME_TAG, "brave-owl"), new KeyValue("t", "1")))).contains(info);

        assertThat(store.getRunInfo(workspace, info.runId())).contains(info);
        assertThat(store.getRun(workspace, info.runId()).orElseThrow().data().tags())
                .containsExactly(new KeyValue(TrackingService.RUN_NAME_TAG, "brave-owl"), new KeyValue("t", "1"));

        store.updateRunInfo(info.runId(), RunStatus.FINISHED, Optional.of(456L), Optional.empty());
        store.updateRunInfo(info.runId(), RunStatus.FAILED, Optional.empty(), Optional.of("renamed"));
        RunInfo updated = store.getRunInfo(workspace, info.runId()).orElseThrow();
        assertThat(updated.status()).isEqualTo(RunStatus.FAILED);
        assertThat(updated.endTime()).isEqualTo(456L);
        assertThat(updated.runName()).isEqualTo("renamed");
        assertThat(store.getRun(workspace, info.runId()).orElseThrow().data().tags())
                .contains(new KeyValue(TrackingService.RUN_NAME_TAG, "renamed"));
    }

    @Test
    void runsOfOneWorkspaceAreInvisibleFromAnother() {
        String other = newWorkspace();
        long experiment = id(createExperiment(workspace, "private"));
        String runId = createRun(workspace, experiment, 1).runId();
        RunQuery query = new RunQuery(List.of(experiment, 0L), "", ViewType.ALL, List.of());

        assertThat(store.getRunInfo(other, runId)).isEmpty();
        assertThat(store.getRun(other, runId)).isEmpty();
        assertThat(store.getRuns(other, List.of(runId))).isEmpty();
        assertThat(store.searchRunIds(other, query, 10, 0)).isEmpty();
        assertThat(store.getExperimentByName(other, "private")).isEmpty();
        assertThat(store.searchRunIds(workspace, query, 10, 0)).containsExactly(runId);
    }

    @Test
    void getRunsKeepsTheOrderGivenAndSkipsUnknownIds() {
        String first = createRun(workspace, 0, 1).runId();
        String second = createRun(workspace, 0, 2).runId();

        assertThat(store.getRuns(workspace, List.of(second, newRunId(), first)))
                .extracting(run -> run.info().runId()).containsExactly(second, first);
        assertThat(store.getRuns(workspace, List.of())).isEmpty();
    }

    @Test
    void deleteAndRestoreRunChangeItsStage() {
        String runId = createRun(workspace, 0, 1).runId();
        store.deleteRun(runId, 5_000);
        assertThat(stageOf(runId)).isEqualTo(LifecycleStage.DELETED);
        store.restoreRun(runId);
        assertThat(stageOf(runId)).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(store.findDeletedRuns(Optional.of(workspace), Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void searchRunIdsPagesNewestFirstWithinTheViewAndExperiments() {
        long experiment = id(createExperiment(workspace, "search"));
        long otherExperiment = id(createExperiment(workspace, "elsewhere"));
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            newestFirst.addFirst(createRun(workspace, experiment, 100 + i).runId());
        }
        String elsewhere = createRun(workspace, otherExperiment, 50).runId();
        store.deleteRun(newestFirst.get(1), now());
        RunQuery active = new RunQuery(List.of(experiment), "", ViewType.ACTIVE_ONLY, List.of());
        List<String> activeRuns = newestFirst.stream().filter(id -> !id.equals(newestFirst.get(1))).toList();

        assertThat(store.searchRunIds(workspace, active, 4, 0)).containsExactlyElementsOf(activeRuns.subList(0, 4));
        assertThat(store.searchRunIds(workspace, active, 4, 3)).containsExactlyElementsOf(activeRuns.subList(3, 6));
        assertThat(store.searchRunIds(workspace, new RunQuery(List.of(experiment), "", ViewType.DELETED_ONLY, List.of()), 10, 0))
                .containsExactly(newestFirst.get(1));
        assertThat(store.searchRunIds(workspace, new RunQuery(List.of(experiment, otherExperiment), "", ViewType.ALL, List.of()), 10, 0))
                .hasSize(8).endsWith(elsewhere);
    }

    @Test
    void runsWithTheSameStartTimeAreOrderedByRunId() {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runIds.add(createRun(workspace, 0, 777).runId());
        }
        assertThat(store.searchRunIds(workspace, new RunQuery(List.of(0L), "", ViewType.ALL, List.of()), 10, 0))
                .containsExactlyElementsOf(runIds.stream().sorted().toList());
    }
}
