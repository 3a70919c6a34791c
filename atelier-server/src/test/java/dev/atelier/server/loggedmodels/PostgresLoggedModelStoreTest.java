package dev.atelier.server.loggedmodels;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The logged-model store contract on a real PostgreSQL: a fresh database on the JVM's shared server. */
class PostgresLoggedModelStoreTest extends LoggedModelStoreContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
