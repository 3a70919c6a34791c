package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The tracking store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresTrackingStoreTest extends TrackingStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
