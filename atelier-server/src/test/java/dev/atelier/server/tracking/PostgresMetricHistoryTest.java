package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The metric history contract on a real PostgreSQL. */
class PostgresMetricHistoryTest extends MetricHistoryContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
