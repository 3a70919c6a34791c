package dev.atelier.server.tracking.search;

import dev.atelier.server.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

class PostgresSearchQueryTest extends SearchQueryContractTest {
    private EmbeddedPostgres postgres;

    @Override
    Database openDatabase() throws Exception {
        postgres = EmbeddedPostgres.start();
        return Database.openPostgres(postgres.getJdbcUrl("postgres", "postgres"), null, null);
    }

    @Override
    void release() throws Exception {
        postgres.close();
    }
}
