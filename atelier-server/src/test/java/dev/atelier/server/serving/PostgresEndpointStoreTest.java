package dev.atelier.server.serving;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The endpoint store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresEndpointStoreTest extends EndpointStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
