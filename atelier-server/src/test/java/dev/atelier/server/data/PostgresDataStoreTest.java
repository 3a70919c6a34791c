package dev.atelier.server.data;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The data store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresDataStoreTest extends DataStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
