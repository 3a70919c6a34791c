package dev.atelier.server.tracing;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The assessment store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresAssessmentStoreTest extends AssessmentStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
