package dev.atelier.server.webhooks;

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

/** The webhook store's contract, run on SQLite and on PostgreSQL by the subclasses. */
abstract class WebhookStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private WebhookStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcWebhookStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace("other", "", Map.of(), 1, 1));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void webhooksAreKeptWithTheirEventsUpdatedListedInOrderAndDeleted() {
        WebhookEvent created = new WebhookEvent(WebhookEvent.Entity.MODEL_VERSION, WebhookEvent.Action.CREATED);
        WebhookEvent aliased = new WebhookEvent(WebhookEvent.Entity.MODEL_VERSION_ALIAS, WebhookEvent.Action.DELETED);
        Webhook first = new Webhook("a1", "ci", Optional.of("to CI"), "https://ci.example/hook", List.of(created, aliased),
                Webhook.Status.ACTIVE, Optional.of("mlflow-webhook-a1"), 10, 10);
        Webhook second = new Webhook("b2", "chat", Optional.empty(), "https://chat.example/hook", List.of(created),
                Webhook.Status.DISABLED, Optional.empty(), 20, 20);
        store.create(WORKSPACE, second);
        store.create(WORKSPACE, first);
        store.create("other", new Webhook("c3", "elsewhere", Optional.empty(), "https://x.example/", List.of(created),
                Webhook.Status.ACTIVE, Optional.empty(), 5, 5));

        assertThat(store.get(WORKSPACE, "a1")).contains(first);
        assertThat(store.get(WORKSPACE, "c3")).isEmpty();
        assertThat(store.list(WORKSPACE, 0, 10)).containsExactly(first, second);
        assertThat(store.list(WORKSPACE, 1, 10)).containsExactly(second);
        assertThat(store.list(WORKSPACE, 0, 1)).containsExactly(first);
        assertThat(store.active(WORKSPACE)).containsExactly(first);

        Webhook enabled = new Webhook("b2", "chat-2", Optional.of("now on"), "https://chat.example/v2", List.of(aliased),
                Webhook.Status.ACTIVE, Optional.of("mlflow-webhook-b2"), 20, 30);
        assertThat(store.update(WORKSPACE, enabled)).isTrue();
        assertThat(store.get(WORKSPACE, "b2")).contains(enabled);
        assertThat(store.active(WORKSPACE)).containsExactly(first, enabled);
        assertThat(store.update(WORKSPACE, new Webhook("zz", "none", Optional.empty(), "https://x.example/", List.of(created),
                Webhook.Status.ACTIVE, Optional.empty(), 1, 1))).isFalse();

        assertThat(store.delete(WORKSPACE, "a1")).isTrue();
        assertThat(store.delete(WORKSPACE, "a1")).isFalse();
        assertThat(store.list(WORKSPACE, 0, 10)).containsExactly(enabled);
    }
}
