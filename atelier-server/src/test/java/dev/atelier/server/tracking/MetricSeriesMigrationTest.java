package dev.atelier.server.tracking;

import dev.atelier.server.store.Database;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** V6 moves the metric history of an existing database into series and points without losing a point. */
class MetricSeriesMigrationTest {
    @Test
    void historyLoggedBeforeTheMigrationIsReadAfterIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("atelier.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("4").load().migrate();
        try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO workspaces VALUES ('default', '', 1, 1, 1)");
            sql.execute("INSERT INTO experiments (workspace, experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                    + " VALUES ('default', 0, 'Default', 'mlflow-artifacts:/0', 'active', 1, 1)");
            for (String run : List.of("a".repeat(32), "b".repeat(32))) {
                sql.execute("INSERT INTO runs (run_uuid, workspace, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)"
                        + " VALUES ('" + run + "', 'default', 0, 'r', 'u', 'RUNNING', 1, 'active', 'x')");
                for (int step = 0; step < 3; step++) {
                    sql.execute("INSERT INTO metrics VALUES ('" + run + "', 'loss', " + step + ", " + (100 + step) + ", " + step * 0.5 + ", 0)");
                    sql.execute("INSERT INTO metrics VALUES ('" + run + "', 'acc', " + step + ", " + (100 + step) + ", 0, 1)");
                }
            }
        }
        try (Database database = Database.openSqlite(file)) {
            JdbcTrackingStore store = new JdbcTrackingStore(database);
            assertThat(store.getMetricHistory("b".repeat(32), "loss", 10, 0)).extracting(Metric::value).containsExactly(0.0, 0.5, 1.0);
            assertThat(store.getMetricHistory("a".repeat(32), "acc", 10, 0)).extracting(Metric::value).allMatch(value -> Double.isNaN(value)).hasSize(3);
            store.logBatch("a".repeat(32), List.of(new Metric("new", 1.0, 200, 0)), List.of(), List.of());
            assertThat(store.getMetricHistory("a".repeat(32), "new", 10, 0)).hasSize(1);
            assertThat(store.getMetricHistory("a".repeat(32), "loss", 10, 0)).hasSize(3);
        }
    }
}
