package dev.atelier.server.serving;

import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint store's deployment generations, run on SQLite and on PostgreSQL by the subclasses: an update is a
 * compare-and-set on the generation (of 16 updates of one generation at a barrier, one wins), and a deployment created
 * again under a deleted one's name starts above every generation the name had.
 */
abstract class EndpointStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private EndpointStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcEndpointStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        assertThat(store.createEndpoint(WORKSPACE, endpoint())).isTrue();
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static Endpoint endpoint() {
        return new Endpoint("ep", "", AuthMode.KEY, Map.of(), Map.of(), Map.of(), "alice", 1_000, 1_000);
    }

    private static Deployment deployment(String description) {
        DeploymentSpec spec = new DeploymentSpec("models:/m/1", "m", "1", Optional.empty(), Optional.empty(), Optional.empty(), "local",
                1, DeploymentSpec.RequestSettings.DEFAULTS, Map.of(), DeploymentSpec.DataCollector.OFF, description);
        return new Deployment("ep", "blue", spec, 0, ProvisioningState.CREATING, Optional.empty(), 1_000, 1_000);
    }

    @Test
    void anUpdateAppliesToTheGenerationItReadOnly() {
        Deployment created = store.createDeployment(WORKSPACE, deployment("first")).orElseThrow();
        assertThat(created.generation()).isEqualTo(1);
        assertThat(store.createDeployment(WORKSPACE, deployment("again"))).as("the name is taken").isEmpty();
        Deployment second = store.updateDeployment(WORKSPACE, deployment("second"), 1).orElseThrow();
        assertThat(second.generation()).isEqualTo(2);
        assertThat(store.updateDeployment(WORKSPACE, deployment("stale"), 1)).as("generation 1 is gone").isEmpty();
        Deployment read = store.getDeployment(WORKSPACE, "ep", "blue").orElseThrow();
        assertThat(read.generation()).isEqualTo(2);
        assertThat(read.spec().description()).isEqualTo("second");
    }

    @Test
    void ofConcurrentUpdatesOfOneGenerationOneWins() throws Exception {
        store.createDeployment(WORKSPACE, deployment("first")).orElseThrow();
        int threads = 16;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Optional<Deployment>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String description = "update-" + i;
                results.add(pool.submit(() -> {
                    barrier.await();
                    return store.updateDeployment(WORKSPACE, deployment(description), 1);
                }));
            }
            List<Deployment> won = new ArrayList<>();
            for (Future<Optional<Deployment>> result : results) {
                result.get().ifPresent(won::add);
            }
            assertThat(won).hasSize(1);
            Deployment read = store.getDeployment(WORKSPACE, "ep", "blue").orElseThrow();
            assertThat(read.spec().description()).isEqualTo(won.getFirst().spec().description());
            assertThat(read.generation()).isEqualTo(won.getFirst().generation());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeploymentCreatedAgainStartsAboveEveryGenerationItsNameHad() {
        store.createDeployment(WORKSPACE, deployment("first")).orElseThrow();
        store.updateDeployment(WORKSPACE, deployment("second"), 1).orElseThrow();
        store.updateDeployment(WORKSPACE, deployment("third"), 2).orElseThrow();
        assertThat(store.deleteDeployment(WORKSPACE, "ep", "blue")).isTrue();
        Deployment again = store.createDeployment(WORKSPACE, deployment("new")).orElseThrow();
        assertThat(again.generation()).isGreaterThan(3);

        assertThat(store.deleteEndpoint(WORKSPACE, "ep")).isTrue();
        store.createEndpoint(WORKSPACE, endpoint());
        assertThat(store.createDeployment(WORKSPACE, deployment("newer")).orElseThrow().generation())
                .as("an endpoint deleted and created again too").isGreaterThan(again.generation());
    }
}
