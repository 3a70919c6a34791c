package dev.atelier.server.designer;

import dev.atelier.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The draft store contract on SQLite, a fresh file per test. */
class SqliteDraftStoreTest extends DraftStoreContract {
    @Override
    protected Database openDatabase() {
        try {
            return Database.openSqlite(Files.createTempDirectory("atelier-draft-store").resolve("atelier.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
