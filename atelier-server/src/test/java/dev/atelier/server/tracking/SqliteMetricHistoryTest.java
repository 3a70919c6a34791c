package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The metric history contract on SQLite. */
class SqliteMetricHistoryTest extends MetricHistoryContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dataDir.resolve("atelier.db"));
    }
}
