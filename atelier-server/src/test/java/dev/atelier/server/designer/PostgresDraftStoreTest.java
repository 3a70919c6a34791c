package dev.atelier.server.designer;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The draft store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresDraftStoreTest extends DraftStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
