package dev.atelier.server.notebooks;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The compute instance store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresInstanceStoreTest extends InstanceStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
