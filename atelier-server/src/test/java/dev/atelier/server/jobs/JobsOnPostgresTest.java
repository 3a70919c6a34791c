package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.EmbeddedPostgres;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The job queue, logs, snapshots and sweeps on PostgreSQL: the same SQL as on SQLite. */
class JobsOnPostgresTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void commandAndSweepJobsRunOnPostgres(@TempDir Path dir) {
        try (TestServer server = TestServer.start(ServerConfig.forTests(dir).withDatabaseUrl(EmbeddedPostgres.createDatabase()))) {
            JobsFixture jobs = new JobsFixture(server.http());
            String code = jobs.snapshot(Map.of("run.sh", "echo from-snapshot $1\n"));
            jobs.submit("name: pg-job\ncode: snapshot:" + code + "\ncommand: sh run.sh ${{inputs.x}}\ninputs: {x: 7}\n");
            JsonNode job = jobs.awaitEnded("pg-job", WAIT);
            assertThat(job.path("status").asText()).isEqualTo("Completed");
            assertThat(jobs.logLines("pg-job")).contains("from-snapshot 7");
            jobs.submit("""
                    type: sweep
                    name: pg-sweep
                    trial:
                      command: echo trial ${{search_space.n}}
                    search_space: {n: {type: choice, values: [1, 2]}}
                    sampling_algorithm: grid
                    objective: {primary_metric: m, goal: minimize}
                    limits: {max_total_trials: 5, max_concurrent_trials: 2}
                    """);
            JsonNode sweep = jobs.awaitEnded("pg-sweep", WAIT);
            assertThat(sweep.path("status").asText()).isEqualTo("Completed");
            assertThat(sweep.path("result").path("trials").asInt()).isEqualTo(2);
            assertThat(jobs.logLines("pg-sweep_trial_1")).contains("trial 2");

            var created = server.http().post("/api/v1/environments", Map.of("name", "pg-env", "version", 4, "python", "3.11",
                    "requirements", java.util.List.of("numpy==2.1"), "tags", Map.of("team", "pg")));
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            assertThat(server.http().get("/api/v1/environments/pg-env/versions/4").json().path("tags").path("team").asText()).isEqualTo("pg");
            assertThat(server.http().post("/api/v1/environments", Map.of("name", "pg-env", "version", 4, "python", "3.11")).errorCode())
                    .isEqualTo("RESOURCE_ALREADY_EXISTS");
        }
    }
}
