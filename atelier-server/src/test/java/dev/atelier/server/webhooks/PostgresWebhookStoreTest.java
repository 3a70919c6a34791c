package dev.atelier.server.webhooks;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The webhook store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresWebhookStoreTest extends WebhookStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
