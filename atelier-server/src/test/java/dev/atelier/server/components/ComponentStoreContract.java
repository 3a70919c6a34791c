package dev.atelier.server.components;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The component store's write contract and its "latest", run on SQLite and on PostgreSQL by the subclasses. */
abstract class ComponentStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private ComponentStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcComponentStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace("other", "", Map.of(), 1, 1));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void generatedVersionsAreTheNextIntegerAndNamedVersionsAreWrittenOnce() {
        assertThat(store.create(component(WORKSPACE, "train", "0", "echo 1"), true)).get().extracting(Component::version).isEqualTo("1");
        assertThat(store.create(component(WORKSPACE, "train", "1.0.0", "echo 2"), false)).get().extracting(Component::version)
                .isEqualTo("1.0.0");
        Component third = store.create(component(WORKSPACE, "train", "ignored", "echo 3"), true).orElseThrow();
        assertThat(third.version()).as("1.0.0 is not an integer").isEqualTo("2");
        assertThat(third.document().path("version").asText()).as("the stored document says its version").isEqualTo("2");
        assertThat(third.spec().version()).contains("2");
        assertThat(third.spec().command()).isEqualTo("echo 3");

        assertThat(store.create(component(WORKSPACE, "train", "1.0.0", "echo other"), false)).as("a version is written once").isEmpty();
        assertThat(store.get(WORKSPACE, "train", "1.0.0").orElseThrow().spec().command()).isEqualTo("echo 2");
        assertThat(store.create(component(WORKSPACE, "train", "7", "echo 7"), false)).isPresent();
        assertThat(store.create(component(WORKSPACE, "train", "x", "echo 8"), true)).get().extracting(Component::version).isEqualTo("8");

        assertThat(store.versions(WORKSPACE, "train")).extracting(Component::version).as("the last registered first")
                .containsExactly("8", "7", "2", "1.0.0", "1");
        assertThat(store.latest(WORKSPACE, "train", false)).get().extracting(Component::version).isEqualTo("8");
        assertThat(store.create(component("other", "train", "0", "echo"), true)).as("versions are counted per workspace").get()
                .extracting(Component::version).isEqualTo("1");
        assertThat(store.get("other", "train", "8")).isEmpty();
        assertThat(store.versions(WORKSPACE, "missing")).isEmpty();
    }

    @Test
    void latestIsTheLastRegisteredNotTheLargestVersion() {
        store.create(component(WORKSPACE, "score", "10", "echo 10"), false);
        store.create(component(WORKSPACE, "score", "9", "echo 9"), false);
        assertThat(store.latest(WORKSPACE, "score", false)).get().extracting(Component::version).isEqualTo("9");
        assertThat(store.listLatest(WORKSPACE, false)).extracting(Component::reference).containsExactly("score:9");
    }

    @Test
    void archivedVersionsAreSkippedByLatestUnlessAsked() {
        store.create(component(WORKSPACE, "prep", "1", "echo 1"), false);
        store.create(component(WORKSPACE, "prep", "2", "echo 2"), false);
        store.create(component(WORKSPACE, "train", "1", "echo t"), false);

        assertThat(store.setArchived(WORKSPACE, "prep", Optional.of("2"), true)).isEqualTo(1);
        assertThat(store.latest(WORKSPACE, "prep", false)).get().extracting(Component::version).isEqualTo("1");
        assertThat(store.latest(WORKSPACE, "prep", true)).get().extracting(Component::version).isEqualTo("2");
        assertThat(store.get(WORKSPACE, "prep", "2")).get().extracting(Component::archived).isEqualTo(true);
        assertThat(store.listLatest(WORKSPACE, false)).extracting(Component::reference).containsExactly("prep:1", "train:1");

        assertThat(store.setArchived(WORKSPACE, "train", Optional.empty(), true)).isEqualTo(1);
        assertThat(store.listLatest(WORKSPACE, false)).extracting(Component::reference).containsExactly("prep:1");
        assertThat(store.listLatest(WORKSPACE, true)).extracting(Component::reference).containsExactly("prep:2", "train:1");
        assertThat(store.latest(WORKSPACE, "train", false)).isEmpty();

        assertThat(store.setArchived(WORKSPACE, "prep", Optional.empty(), false)).isEqualTo(2);
        assertThat(store.latest(WORKSPACE, "prep", false)).get().extracting(Component::version).isEqualTo("2");
        assertThat(store.setArchived(WORKSPACE, "prep", Optional.of("3"), true)).isZero();
        assertThat(store.setArchived(WORKSPACE, "missing", Optional.empty(), true)).isZero();
    }

    @Test
    void theWorkspacesComponentsGoWithIt() {
        store.create(component("other", "train", "1", "echo"), false);
        new JdbcWorkspaceStore(database).deleteWorkspace("other");
        assertThat(store.get("other", "train", "1")).isEmpty();
    }

    private static Component component(String workspace, String name, String version, String command) {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("name", name).put("version", version).put("command", command);
        document.putObject("inputs").putObject("lr").put("type", "number").put("default", 0.1);
        return new Component(name, version, ComponentDocument.parse(document, ""), false, "alice", 1_000, document, workspace);
    }
}
