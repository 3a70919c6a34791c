package dev.atelier.server.registry;

import dev.atelier.server.store.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The registry store contract on SQLite, the embedded default. */
class SqliteRegistryStoreTest extends RegistryStoreContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dataDir.resolve("atelier.db"));
    }
}
