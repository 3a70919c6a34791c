package dev.atelier.server.notebooks;

import dev.atelier.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The compute instance store contract on SQLite, a fresh file per test. */
class SqliteInstanceStoreTest extends InstanceStoreContract {
    @Override
    protected Database openDatabase() {
        try {
            return Database.openSqlite(Files.createTempDirectory("atelier-instance-store").resolve("atelier.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
