package dev.atelier.server.designer;

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

/** The draft store's versions, conflicting saves and deletion, on SQLite and on PostgreSQL. */
abstract class DraftStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private DraftStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcDraftStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void everySaveIsANewVersionAndOldVersionsStayReadable() {
        store.create(WORKSPACE, "d1", "churn", "alice", document("first"), 1_000);
        assertThat(store.save(WORKSPACE, "d1", 1, "churn v2", document("second"), 2_000)).isTrue();

        Draft latest = store.get(WORKSPACE, "d1", Optional.empty()).orElseThrow();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.latestVersion()).isEqualTo(2);
        assertThat(latest.name()).isEqualTo("churn v2");
        assertThat(latest.document().at("/pipeline/description").asText()).isEqualTo("second");
        assertThat(latest.updatedAt()).isEqualTo(2_000);
        Draft first = store.get(WORKSPACE, "d1", Optional.of(1)).orElseThrow();
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.latestVersion()).isEqualTo(2);
        assertThat(first.document().at("/pipeline/description").asText()).isEqualTo("first");
        assertThat(store.get(WORKSPACE, "d1", Optional.of(3))).isEmpty();
    }

    @Test
    void aSaveFromAnOlderVersionIsRefused() {
        store.create(WORKSPACE, "d1", "churn", "alice", document("first"), 1_000);
        assertThat(store.save(WORKSPACE, "d1", 1, "churn", document("tab one"), 2_000)).isTrue();
        assertThat(store.save(WORKSPACE, "d1", 1, "churn", document("tab two"), 3_000)).as("tab two started from 1").isFalse();
        assertThat(store.get(WORKSPACE, "d1", Optional.empty()).orElseThrow().document().at("/pipeline/description").asText())
                .isEqualTo("tab one");
        assertThat(store.save(WORKSPACE, "missing", 1, "x", document("x"), 3_000)).isFalse();
    }

    @Test
    void listsTheLastSavedFirstAndDeletesWithVersions() {
        store.create(WORKSPACE, "d1", "one", "alice", document("1"), 1_000);
        store.create(WORKSPACE, "d2", "two", "bob", document("2"), 2_000);
        store.save(WORKSPACE, "d1", 1, "one", document("1b"), 3_000);
        assertThat(store.list(WORKSPACE)).extracting(DraftSummary::id).containsExactly("d1", "d2");
        assertThat(store.list(WORKSPACE).getFirst().owner()).isEqualTo("alice");
        assertThat(store.list("other")).isEmpty();

        assertThat(store.delete(WORKSPACE, "d1")).isTrue();
        assertThat(store.delete(WORKSPACE, "d1")).isFalse();
        assertThat(store.get(WORKSPACE, "d1", Optional.of(1))).isEmpty();
        assertThat(store.list(WORKSPACE)).extracting(DraftSummary::id).containsExactly("d2");
    }

    private static ObjectNode document(String description) {
        ObjectNode document = DraftDocument.empty();
        ((ObjectNode) document.get("pipeline")).put("description", description);
        return document;
    }
}
