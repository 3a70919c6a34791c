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
}
