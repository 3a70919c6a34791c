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

/**
 * What the tracking store contracts share: one database per test class, opened by the subclass for
 * the database it covers, and a fresh workspace per test, so tests never see each other's
 * experiments or runs (only the all-workspace garbage queries look wider, and their tests check
 * membership, not equality).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrackingStoreFixture {
    static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);

    Database database;
    JdbcWorkspaceStore workspaces;
    JdbcTrackingStore store;
    String workspace;

    /** A new, migrated, empty database; the contract closes it. */
    protected abstract Database openDatabase();

    @BeforeAll
    final void openStore() {
        database = openDatabase();
        workspaces = new JdbcWorkspaceStore(database);
        store = new JdbcTrackingStore(database);
    }

    @AfterAll
    final void closeStore() {
        database.close();
    }

    @BeforeEach
    final void useFreshWorkspace() {
        workspace = newWorkspace();
    }

    // ---- helpers

    String newWorkspace() {
        String name = "ws-" + UUID.randomUUID().toString().substring(0, 12);
        long time = 1L;
        workspaces.createWorkspace(new Workspace(name, "", Map.of(), time, time));
        store.ensureDefaultExperiment(name, time);
        return name;
    }

    static long now() {
        return CLOCK.incrementAndGet();
    }

    Experiment createExperiment(String inWorkspace, String name) {
        return store.createExperiment(inWorkspace, name, Optional.empty(), List.of(), now());
    }

    static long id(Experiment experiment) {
        return Long.parseLong(experiment.experimentId());
    }

    static List<Long> experimentIds(List<Experiment> experiments) {
        return experiments.stream().map(TrackingStoreContract::id).toList();
    }

    static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    RunInfo createRun(String inWorkspace, long experimentId, long startTime) {
        String runId = newRunId();
        return store.createRun(inWorkspace, new NewRun(runId, experimentId, "run-" + runId.substring(0, 6), "tester", RunStatus.RUNNING,
                startTime), List.of()).orElseThrow();
    }

    RunInfo runInfo(String runId) {
        return store.getRunInfo(workspace, runId).orElseThrow();
    }

    String stageOf(String runId) {
        return runInfo(runId).lifecycleStage();
    }

    Metric latest(String runId, String key) {
        return store.getRun(workspace, runId).orElseThrow().data().metrics().stream()
                .filter(metric -> metric.key().equals(key)).findFirst().orElseThrow();
    }

    static DatasetInput input(Dataset dataset, String... tagKeysAndValues) {
        List<KeyValue> tags = new ArrayList<>();
        for (int i = 0; i < tagKeysAndValues.length; i += 2) {
            tags.add(new KeyValue(tagKeysAndValues[i], tagKeysAndValues[i + 1]));
        }
        return new DatasetInput(tags, dataset);
    }

    long count(String sql, Object... arguments) {
        return database.read(handle -> {
            var query = handle.createQuery(sql);
            for (int i = 0; i < arguments.length; i++) {
                query.bind(i, arguments[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    static void assertErrorCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AtelierException.class,
                error -> assertThat(error.errorCode()).isEqualTo(code));
    }
}
