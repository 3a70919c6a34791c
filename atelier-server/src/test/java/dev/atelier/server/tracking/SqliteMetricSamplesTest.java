package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Chart downsampling and run counts on SQLite. */
class SqliteMetricSamplesTest extends MetricSamplesContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dataDir.resolve("atelier.db"));
    }
}
