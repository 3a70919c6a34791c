package dev.atelier.server.scorers;

import dev.atelier.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The scorer store contract on SQLite, a fresh file per test. */
class SqliteScorerStoreTest extends ScorerStoreContract {
    @Override
    protected Database openDatabase() {
        try {
            return Database.openSqlite(Files.createTempDirectory("atelier-scorer-store").resolve("atelier.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
