package dev.atelier.server.scorers;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The scorer store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresScorerStoreTest extends ScorerStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
