package dev.atelier.bench;

import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.NewRun;
import dev.atelier.server.tracking.RunStatus;
import dev.atelier.server.tracking.TrackingService;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Fills the searched experiment through the server's own store code ({@link JdbcTrackingStore}) on
 * the server's database, from the bench JVM: the rows are the ones runs/create and log-batch
 * write, in a fraction of the time 200,000 HTTP calls take. The HTTP rate of run creation is what
 * the run-creation scenario measures.
 */
final class DirectPopulation {
    private DirectPopulation() {
    }

    static Load.Result populate(Path serverDataDir, Optional<String> databaseUrl, long experimentId, String artifactLocation,
                                int runs, int clients, long startTime) {
        try (Database database = databaseUrl.map(Database::open)
                .orElseGet(() -> Database.openSqlite(serverDataDir.resolve("atelier.db")))) {
            JdbcTrackingStore store = new JdbcTrackingStore(database);
            return Load.run(clients, runs, (client, index) -> {
                String runId = UUID.randomUUID().toString().replace("-", "");
                String name = "run-" + index;
                store.createRun("default", new NewRun(runId, experimentId, name, "bench", RunStatus.FINISHED, startTime + index),
                        List.of(new KeyValue(TrackingService.RUN_NAME_TAG, name), new KeyValue("mlflow.user", "bench")));
                store.updateRunInfo(runId, RunStatus.FINISHED, Optional.of(startTime + index + 1), Optional.empty());
                store.logBatch(runId, List.of(new Metric("acc", accuracy(index), startTime + index, 0)),
                        List.of(new KeyValue("seed", Integer.toString(index))), List.of());
            });
        }
    }

    /** The {@code acc} of run {@code index}: uniform in [0, 1), the same on every run of the bench. */
    static double accuracy(int index) {
        return new SplittableRandom(index).nextDouble();
    }
}
