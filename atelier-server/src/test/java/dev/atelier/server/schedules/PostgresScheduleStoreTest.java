package dev.atelier.server.schedules;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The schedule store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresScheduleStoreTest extends ScheduleStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
