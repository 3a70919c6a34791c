package dev.atelier.server.uploads;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.EmbeddedPostgres;

/** The upload limits on PostgreSQL: the same conditional updates and deletes decide expiry there. */
class UploadLimitsOnPostgresTest extends UploadLimitsTest {
    @Override
    ServerConfig config() {
        return super.config().withDatabaseUrl(EmbeddedPostgres.createDatabase());
    }
}
