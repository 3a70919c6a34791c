package dev.atelier.server.scorers;

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

/** The scorer store's contract, run on SQLite and on PostgreSQL by the subclasses. */
abstract class ScorerStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private ScorerStore store;
    private long experiment;
    private long other;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcScorerStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        JdbcTrackingStore tracking = new JdbcTrackingStore(database);
        experiment = Long.parseLong(tracking.createExperiment(WORKSPACE, "genai", Optional.empty(), List.of(), 1).experimentId());
        other = Long.parseLong(tracking.createExperiment(WORKSPACE, "other", Optional.empty(), List.of(), 1).experimentId());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void registeringANameAgainAddsAVersionUnderOneId() {
        Scorer first = store.register(WORKSPACE, experiment, "relevance", "{\"v\": 1}", 10, "id-1");
        Scorer second = store.register(WORKSPACE, experiment, "relevance", "{\"v\": 2}", 20, "id-ignored");
        store.register(WORKSPACE, experiment, "brevity", "{}", 30, "id-2");
        store.register(WORKSPACE, other, "relevance", "{}", 40, "id-3");
        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.scorerId()).isEqualTo("id-1");
        assertThat(second.serializedScorer()).isEqualTo("{\"v\": 2}");
        assertThat(store.latest(WORKSPACE, List.of(experiment))).extracting(Scorer::name, Scorer::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("brevity", 1), org.assertj.core.groups.Tuple.tuple("relevance", 2));
        assertThat(store.latest(WORKSPACE, List.of(experiment, other))).hasSize(3);
        assertThat(store.versions(WORKSPACE, experiment, "relevance")).extracting(Scorer::version).containsExactly(1, 2);
        assertThat(store.latest("elsewhere", List.of(experiment))).isEmpty();
    }

    @Test
    void deletingOneVersionOrAllAndScorersGoWithTheirExperiment() {
        store.register(WORKSPACE, experiment, "relevance", "{}", 10, "id-1");
        store.register(WORKSPACE, experiment, "relevance", "{}", 20, "id-1");
        assertThat(store.delete(WORKSPACE, experiment, "relevance", 2)).isEqualTo(1);
        assertThat(store.delete(WORKSPACE, experiment, "relevance", 2)).isZero();
        assertThat(store.versions(WORKSPACE, experiment, "relevance")).extracting(Scorer::version).containsExactly(1);
        assertThat(store.delete(WORKSPACE, experiment, "relevance", null)).isEqualTo(1);
        assertThat(store.versions(WORKSPACE, experiment, "relevance")).isEmpty();
        assertThat(store.register(WORKSPACE, experiment, "relevance", "{}", 30, "id-new").scorerId())
                .as("a name registered after its scorer was deleted is a new scorer").isEqualTo("id-new");

        store.register(WORKSPACE, other, "kept", "{}", 1, "id-k");
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM experiments WHERE workspace = ? AND experiment_id = ?")
                .bind(0, WORKSPACE).bind(1, other).execute());
        assertThat(store.latest(WORKSPACE, List.of(other))).isEmpty();
    }
}
