package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;

/** Chart downsampling and run counts on a real PostgreSQL. */
class PostgresMetricSamplesTest extends MetricSamplesContract {
    @Override
    protected Database openDatabase() {
        return EmbeddedPostgres.openFreshDatabase();
    }
}
