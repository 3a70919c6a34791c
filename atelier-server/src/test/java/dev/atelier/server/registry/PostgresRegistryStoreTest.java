package dev.atelier.server.registry;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The registry store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresRegistryStoreTest extends RegistryStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
