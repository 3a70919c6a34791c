package dev.atelier.server.monitoring;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The monitoring stores' contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresEndpointMonitoringStoreTest extends EndpointMonitoringStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
