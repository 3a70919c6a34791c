package dev.atelier.server.monitoring;

import dev.atelier.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The monitoring stores' contract on SQLite, a fresh file per test. */
class SqliteEndpointMonitoringStoreTest extends EndpointMonitoringStoreContract {
    @Override
    protected Database openDatabase() {
        try {
            return Database.openSqlite(Files.createTempDirectory("atelier-monitoring-store").resolve("atelier.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
