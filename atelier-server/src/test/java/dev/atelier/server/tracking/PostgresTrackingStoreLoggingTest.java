package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The tracking store logging contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresTrackingStoreLoggingTest extends TrackingStoreLoggingContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
