package dev.atelier.server.audit;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing the server writes the audit events still waiting for the next flush. */
class AuditFlushOnCloseTest {
    @TempDir
    Path dataDir;

    @Test
    void closingTheServerWritesQueuedEvents() {
        try (TestServer server = TestServer.start(dataDir)) {
            for (int i = 0; i < 20; i++) {
                server.http().post("/api/2.0/mlflow/experiments/create", Map.of("name", "closing-" + i));
            }
        }
        try (Database database = Database.openSqlite(dataDir.resolve("atelier.db"))) {
            Integer recorded = database.read(handle -> handle.createQuery(
                    "SELECT COUNT(*) FROM audit_events WHERE target = '/api/2.0/mlflow/experiments/create'").mapTo(Integer.class).one());
            assertThat(recorded).isEqualTo(20);
        }
    }
}
