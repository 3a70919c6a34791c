package dev.atelier.server.replicas;

import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarted under load (docs/operations.md, "When a dependency fails"): while it is down clients get 503
 * {@code TEMPORARILY_UNAVAILABLE} with {@code Retry-After}, never a 500; once it is back the same server processes
 * answer again without a restart, and every write they acknowledged is stored.
 */
class PostgresRestartTest {
    private static ReplicaCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ReplicaCluster.start(2, 30_000);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void serversAnswer503WithRetryAfterWhileTheDatabaseIsDownAndRecoverWithoutARestart() throws Exception {
        HttpJson http = cluster.http();
        try (TrackingLoad load = new TrackingLoad(cluster.balancer().url()).start(4, 3)) {
            awaitSuccesses(load, 20);
            cluster.stopPostgres();
            Instant down = Instant.now().plusSeconds(30);
            while (load.failures().size() < 8 && Instant.now().isBefore(down)) {
                Thread.sleep(100);
            }
            cluster.restartPostgres();
            long before = load.successes();
            awaitSuccesses(load, before + 40);
            load.stop();
            List<TrackingLoad.Failure> failures = load.failures();
            assertThat(failures).as("answers while the database was down").isNotEmpty();
            assertThat(failures).allSatisfy(failure -> {
                assertThat(failure.status()).as(failure.toString()).isEqualTo(503);
                assertThat(failure.retryAfter()).as(failure.toString()).isEqualTo("5");
                assertThat(HttpJson.parse(failure.body()).path("error_code").asText()).isEqualTo("TEMPORARILY_UNAVAILABLE");
            });
            assertThat(TrackingLoad.verifyStored(http, load.acknowledged())).isPositive();
        }
        assertThat(cluster.replicas()).allSatisfy(replica -> assertThat(replica.alive()).isTrue());
        // Every server answers from the database again (the balancer alternates, so both are asked).
        for (int i = 0; i < 4; i++) {
            HttpJson.Response created = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "after-restart-" + i));
            assertThat(created.status()).as(created.text()).isEqualTo(200);
        }
    }

    private static void awaitSuccesses(TrackingLoad load, long count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (load.successes() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(load.successes()).as("successful calls").isGreaterThanOrEqualTo(count);
    }
}
