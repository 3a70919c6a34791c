package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.ModelMetric;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The logged-model store's contract and its search, run on SQLite and on PostgreSQL by the subclasses. */
abstract class LoggedModelStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private LoggedModelStore store;
    private long experiment;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcLoggedModelStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        experiment = Long.parseLong(new JdbcTrackingStore(database).createExperiment(WORKSPACE, "models", Optional.empty(), List.of(), 1)
                .experimentId());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aModelIsFinalizedTaggedGivenParamsOnceAndDeletedSoftly() {
        store.create(WORKSPACE, model("m-1", "clf", 10, Map.of("team", "ml"), Map.of("C", "0.1")));
        assertThat(store.finalize(WORKSPACE, "m-1", LoggedModelStatus.LOGGED_MODEL_READY, Optional.empty(), 20)).isTrue();
        assertThat(store.setTags(WORKSPACE, "m-1", Map.of("stage", "candidate", "team", "ops"), 30)).isTrue();
        assertThat(store.addParams(WORKSPACE, "m-1", Map.of("C", "0.1", "max_iter", "100"), 40)).isEmpty();
        assertThat(store.addParams(WORKSPACE, "m-1", Map.of("C", "1.0", "other", "x"), 50)).containsExactly("C");
        LoggedModel model = store.get(WORKSPACE, "m-1").orElseThrow();
        assertThat(model.status()).isEqualTo(LoggedModelStatus.LOGGED_MODEL_READY);
        assertThat(model.tags()).containsOnly(Map.entry("stage", "candidate"), Map.entry("team", "ops"));
        assertThat(model.params()).as("a refused batch writes nothing").containsOnly(Map.entry("C", "0.1"), Map.entry("max_iter", "100"));
        assertThat(model.lastUpdatedTimestampMs()).isEqualTo(40);
        assertThat(model.creationTimestampMs()).isEqualTo(10);
        assertThat(store.deleteTag(WORKSPACE, "m-1", "stage", 60)).isTrue();
        assertThat(store.deleteTag(WORKSPACE, "m-1", "stage", 60)).isFalse();

        assertThat(store.delete(WORKSPACE, "m-1", 70)).isTrue();
        assertThat(store.get(WORKSPACE, "m-1")).isEmpty();
        assertThat(store.delete(WORKSPACE, "m-1", 80)).isFalse();
        assertThat(store.setTags(WORKSPACE, "m-1", Map.of("a", "b"), 80)).isFalse();
        assertThat(store.search(WORKSPACE, List.of(experiment), "", List.of(), 10, 0)).as("deleted models are not searched").isEmpty();
    }

    @Test
    void searchFiltersAndOrders() {
        store.create(WORKSPACE, model("m-a", "alpha", 100, Map.of("stage", "prod"), Map.of("C", "1")));
        store.create(WORKSPACE, model("m-b", "beta", 200, Map.of(), Map.of("C", "2")));
        store.create(WORKSPACE, model("m-c", "gamma", 300, Map.of("stage", "dev"), Map.of()));
        store.finalize(WORKSPACE, "m-b", LoggedModelStatus.LOGGED_MODEL_READY, Optional.empty(), 400);

        assertThat(search("", List.of())).as("newest first").containsExactly("m-c", "m-b", "m-a");
        assertThat(search("tags.stage = 'prod'", List.of())).containsExactly("m-a");
        assertThat(search("tags.stage != 'prod'", List.of())).containsExactly("m-c");
        assertThat(search("params.C IN ('1', '2')", List.of())).containsExactly("m-b", "m-a");
        assertThat(search("status = 'LOGGED_MODEL_READY'", List.of())).containsExactly("m-b");
        assertThat(search("name LIKE '%a' AND creation_timestamp > 100", List.of())).containsExactly("m-c", "m-b");
        assertThat(search("", List.of(new LoggedModelSearch.Order("name", true)))).containsExactly("m-a", "m-b", "m-c");
        assertThat(search("", List.of(new LoggedModelSearch.Order("last_updated_timestamp", false)))).startsWith("m-b");
        assertThatThrownBy(() -> search("metrics.acc > 'high'", List.of())).isInstanceOf(AtelierException.class);
        assertThatThrownBy(() -> search("", List.of(new LoggedModelSearch.Order("size", true)))).isInstanceOf(AtelierException.class);
    }

    @Test
    void aRunsOutputsAreRecordedOnce() {
        store.create(WORKSPACE, model("m-o", "o", 1, Map.of(), Map.of()));
        store.addOutputs(WORKSPACE, "run-1", Map.of("m-o", 3L));
        store.addOutputs(WORKSPACE, "run-1", Map.of("m-o", 3L));
        assertThat(store.outputs(WORKSPACE, "run-1")).containsOnly(Map.entry("m-o", 3L));
        assertThat(store.outputs(WORKSPACE, "run-2")).isEmpty();
    }

    @Test
    void metricsLinkedToModelsAreKeptFilteredAndOrderedByTheirLatestPoint() {
        String run = new JdbcTrackingStore(database).createRun(WORKSPACE, new dev.atelier.server.tracking.NewRun(
                "0123456789abcdef0123456789abcdef", experiment, "train", "ann", dev.atelier.server.tracking.RunStatus.RUNNING, 1),
                List.of()).orElseThrow().runUuid();
        store.create(WORKSPACE, model("m-a", "a", 1, Map.of(), Map.of()));
        store.create(WORKSPACE, model("m-b", "b", 2, Map.of(), Map.of()));
        store.create(WORKSPACE, model("m-c", "c", 3, Map.of(), Map.of()));
        store.addMetrics(WORKSPACE, List.of(linked("m-a", run, "acc", 0.9, 10, "eval"), linked("m-a", run, "acc", 0.5, 20, "eval"),
                linked("m-b", run, "acc", 0.7, 10, "test"), linked("m-b", run, "loss", Double.NaN, 10, null)));
        store.addMetrics(WORKSPACE, List.of(linked("m-a", run, "acc", 0.6, 20, "eval")));  // the same point again: replaced

        Map<String, List<ModelMetric>> metrics = store.metrics(WORKSPACE, List.of("m-a", "m-b", "m-c"));
        assertThat(metrics).containsOnlyKeys("m-a", "m-b");
        assertThat(metrics.get("m-a")).extracting(linked -> linked.metric().value()).containsExactly(0.9, 0.6);
        assertThat(metrics.get("m-b")).extracting(linked -> linked.metric().key()).containsExactly("acc", "loss");
        assertThat(metrics.get("m-b").get(1).metric().value()).isNaN();
        assertThat(metrics.get("m-a").getFirst().datasetName()).contains("eval");

        assertThat(search("metrics.acc > 0.8", List.of())).as("any point matches").containsExactly("m-a");
        assertThat(search("metrics.acc < 0.8", List.of())).containsExactly("m-b", "m-a");
        assertThat(store.search(WORKSPACE, List.of(experiment), "metrics.acc < 0.8",
                List.of(new LoggedModelSearch.DatasetFilter("test", Optional.empty())), List.of(), 10, 0)).containsExactly("m-b");
        assertThat(store.search(WORKSPACE, List.of(experiment), "", List.of(new LoggedModelSearch.DatasetFilter("eval", Optional.of("d"))),
                List.of(), 10, 0)).containsExactly("m-a");
        assertThat(search("", List.of(new LoggedModelSearch.Order("metrics.acc", true)))).as("by the latest point, models without it last")
                .containsExactly("m-a", "m-b", "m-c");
        assertThat(search("", List.of(new LoggedModelSearch.Order("metrics.acc", false)))).containsExactly("m-b", "m-a", "m-c");
        assertThat(search("", List.of(new LoggedModelSearch.Order("metrics.acc", false, Optional.of("eval"), Optional.empty()))))
                .containsExactly("m-a", "m-c", "m-b");
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM runs WHERE run_uuid = ?").bind(0, run).execute());
        assertThat(store.metrics(WORKSPACE, List.of("m-a", "m-b"))).as("the points go with their run").isEmpty();
    }

    private static ModelMetric linked(String modelId, String run, String key, double value, long timestamp, String dataset) {
        return new ModelMetric(modelId, run, Optional.ofNullable(dataset), Optional.ofNullable(dataset).map(name -> "d"),
                new Metric(key, value, timestamp, 0));
    }

    @Test
    void aModelGoesWithItsExperiment() {
        store.create(WORKSPACE, model("m-x", "x", 1, Map.of("k", "v"), Map.of("k", "v")));
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM experiments WHERE workspace = ? AND experiment_id = ?")
                .bind(0, WORKSPACE).bind(1, experiment).execute());
        assertThat(store.get(WORKSPACE, "m-x")).isEmpty();
    }

    private List<String> search(String filter, List<LoggedModelSearch.Order> orderBy) {
        return store.search(WORKSPACE, List.of(experiment), filter, orderBy, 10, 0);
    }

    private LoggedModel model(String id, String name, long time, Map<String, String> tags, Map<String, String> params) {
        return new LoggedModel(id, Long.toString(experiment), name, "mlflow-artifacts:/1/models/" + id + "/artifacts", time, time,
                LoggedModelStatus.LOGGED_MODEL_PENDING, Optional.empty(), Optional.empty(), Optional.empty(), tags, params);
    }
}
