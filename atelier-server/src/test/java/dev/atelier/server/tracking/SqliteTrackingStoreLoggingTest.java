package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The tracking store logging contract on SQLite, the embedded default. */
class SqliteTrackingStoreLoggingTest extends TrackingStoreLoggingContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dataDir.resolve("atelier.db"));
    }
}
