package dev.atelier.server.notebooks;

import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The compute instance store, run on SQLite and on PostgreSQL by the subclasses. */
abstract class InstanceStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private InstanceStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcInstanceStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static ComputeInstance instance(String name, String owner) {
        InstanceDocument document = new InstanceDocument("notes", 60,
                Optional.of(new InstanceDocument.Script(Optional.of("setup/install.sh"), Optional.empty())),
                Optional.of(new InstanceDocument.Script(Optional.empty(), Optional.of("echo hello"))),
                List.of(new InstanceDocument.StartStop(InstanceDocument.Action.STOP, "0 18 * * *", "Europe/Paris")),
                Optional.of("jupyter/minimal:1"));
        return new ComputeInstance(WORKSPACE, name, owner, "local", document, InstanceState.CREATING, Optional.empty(), 1_000,
                "admin", 1_000, 1_000);
    }

    @Test
    void anInstanceKeepsItsDocumentAndANameIsTakenOnce() {
        assertThat(store.create(instance("alice-nb", "alice"))).isTrue();
        assertThat(store.create(instance("alice-nb", "bob"))).isFalse();
        ComputeInstance read = store.get(WORKSPACE, "alice-nb").orElseThrow();
        assertThat(read).isEqualTo(instance("alice-nb", "alice"));
        assertThat(store.get(WORKSPACE, "missing")).isEmpty();
    }

    @Test
    void stateAndActivityChangeAndActivityNeverGoesBack() {
        store.create(instance("nb", "alice"));
        assertThat(store.setState(WORKSPACE, "nb", InstanceState.FAILED, Optional.of("exited"), 2_000)).isTrue();
        assertThat(store.setState(WORKSPACE, "other", InstanceState.FAILED, Optional.empty(), 2_000)).isFalse();
        store.recordActivity(WORKSPACE, "nb", 5_000);
        store.recordActivity(WORKSPACE, "nb", 3_000);
        ComputeInstance read = store.get(WORKSPACE, "nb").orElseThrow();
        assertThat(read.state()).isEqualTo(InstanceState.FAILED);
        assertThat(read.stateMessage()).contains("exited");
        assertThat(read.updatedAt()).isEqualTo(2_000);
        assertThat(read.lastActivity()).isEqualTo(5_000);
    }

    @Test
    void listsAreByNameAndDeletingTheWorkspaceDeletesItsInstances() {
        store.create(instance("b-nb", "bob"));
        store.create(instance("a-nb", "alice"));
        assertThat(store.list(WORKSPACE)).extracting(ComputeInstance::name).containsExactly("a-nb", "b-nb");
        assertThat(store.listAll()).hasSize(2);
        assertThat(store.delete(WORKSPACE, "a-nb")).isTrue();
        assertThat(store.delete(WORKSPACE, "a-nb")).isFalse();
        new JdbcWorkspaceStore(database).deleteWorkspace(WORKSPACE);
        assertThat(store.listAll()).isEmpty();
    }

    @Test
    void oneServerRunsAnInstanceUntilItsLeaseRunsOut() {
        store.create(instance("nb", "alice"));
        assertThat(store.claim(WORKSPACE, "nb", "server-a", 10_000, 2_000)).as("a new instance has no runner").isTrue();
        assertThat(store.claim(WORKSPACE, "nb", "server-b", 10_000, 3_000)).as("server-a runs it").isFalse();
        assertThat(store.runner(WORKSPACE, "nb")).contains("server-a");
        assertThat(store.markRunning(WORKSPACE, "nb", "server-b", 3_000)).isFalse();
        assertThat(store.markRunning(WORKSPACE, "nb", "server-a", 3_000)).isTrue();
        assertThat(store.get(WORKSPACE, "nb").orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(store.markRunning(WORKSPACE, "nb", "server-a", 3_000)).as("only from Creating").isFalse();

        store.renew("server-b", 50_000);
        assertThat(store.lapsed(20_000)).as("server-b renews only its own").extracting(ComputeInstance::name).containsExactly("nb");
        store.renew("server-a", 30_000);
        assertThat(store.lapsed(20_000)).isEmpty();
        assertThat(store.reap(WORKSPACE, "nb", 20_000, "gone")).as("the lease holds").isFalse();
        assertThat(store.lapsed(40_000)).extracting(ComputeInstance::name).containsExactly("nb");
        assertThat(store.reap(WORKSPACE, "nb", 40_000, "its server stopped")).isTrue();
        assertThat(store.reap(WORKSPACE, "nb", 40_000, "its server stopped")).as("once").isFalse();
        ComputeInstance reaped = store.get(WORKSPACE, "nb").orElseThrow();
        assertThat(reaped.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(reaped.stateMessage()).contains("its server stopped");
        assertThat(store.runner(WORKSPACE, "nb")).isEmpty();
        assertThat(store.claim(WORKSPACE, "nb", "server-b", 60_000, 41_000)).as("a stopped instance is free").isTrue();
        assertThat(store.claim(WORKSPACE, "nb", "server-a", 90_000, 61_000)).as("a lapsed lease is free").isTrue();
        assertThat(store.runner(WORKSPACE, "nb")).contains("server-a");
        store.setState(WORKSPACE, "nb", InstanceState.STOPPED, Optional.empty(), 62_000);
        store.renew("server-a", 200_000);
        assertThat(store.lapsed(100_000)).as("a stopped instance has no lease to lapse").isEmpty();
    }

    @Test
    void eachScheduleWindowIsClaimedOnce() {
        store.create(instance("nb", "alice"));
        assertThat(store.schedulesCheckedAt(WORKSPACE, "nb")).as("from its creation").isEqualTo(1_000);
        assertThat(store.claimSchedules(WORKSPACE, "nb", 1_000, 5_000)).isTrue();
        assertThat(store.claimSchedules(WORKSPACE, "nb", 1_000, 5_500)).as("another server, same window").isFalse();
        assertThat(store.schedulesCheckedAt(WORKSPACE, "nb")).isEqualTo(5_000);
        assertThat(store.claimSchedules(WORKSPACE, "nb", 5_000, 9_000)).isTrue();
    }
}
