package dev.atelier.server.jobs;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The job store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresJobStoreTest extends JobStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
