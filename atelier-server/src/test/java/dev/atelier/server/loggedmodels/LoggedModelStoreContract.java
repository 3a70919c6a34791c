package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.JdbcTrackingStore;
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
        assertThatThrownBy(() -> search("metrics.acc > 1", List.of())).isInstanceOf(AtelierException.class);
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
