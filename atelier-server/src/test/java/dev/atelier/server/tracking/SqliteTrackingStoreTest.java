package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The tracking store contract on SQLite, the embedded default. */
class SqliteTrackingStoreTest extends TrackingStoreContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dataDir.resolve("atelier.db"));
    }
}
