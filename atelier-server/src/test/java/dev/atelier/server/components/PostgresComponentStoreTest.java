package dev.atelier.server.components;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The component store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresComponentStoreTest extends ComponentStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
