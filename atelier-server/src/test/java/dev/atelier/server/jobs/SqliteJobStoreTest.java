package dev.atelier.server.jobs;

import dev.atelier.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The job store contract on SQLite, a fresh file per test. */
class SqliteJobStoreTest extends JobStoreContract {
    @Override
    protected Database openDatabase() {
        try {
            return Database.openSqlite(Files.createTempDirectory("atelier-job-store").resolve("atelier.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
