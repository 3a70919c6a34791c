package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue lives in the database: a restart resumes queued jobs, and a job that was running ends failed, once. */
class JobRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void queuedJobsResumeAfterARestartAndEveryJobEndsExactlyOnce(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        ServerConfig config = ServerConfig.forTests(dataDir).withJobs(JobsConfig.DEFAULTS.withLocalMaxConcurrentJobs(1));
        List<String> names = List.of("r1", "r2", "r3", "r4");
        try (TestServer first = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(first.http());
            for (String name : names) {
                jobs.submit("""
                        name: %s
                        command: echo start-$ATELIER_JOB_NAME; sleep 1; echo end-$ATELIER_JOB_NAME
                        """.formatted(name));
            }
            jobs.awaitStatus("r1", "Running", WAIT);
            for (String name : names.subList(1, 4)) {
                assertThat(jobs.job(name).path("status").asText()).as(name).isEqualTo("Queued");
            }
        }
        try (TestServer second = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(second.http());
            JsonNode interrupted = jobs.job("r1");
            assertThat(interrupted.path("status").asText()).isEqualTo("Failed");
            assertThat(interrupted.path("reason").asText()).isEqualTo(JobScheduler.SHUTDOWN_REASON);
            for (String name : names.subList(1, 4)) {
                assertThat(jobs.awaitEnded(name, WAIT).path("status").asText()).as(name).isEqualTo("Completed");
            }
            assertThat(jobs.job("r1").path("status").asText()).isEqualTo("Failed");
            // A sandboxed job writes nothing outside its folder: its log says what it did, and its times in which order.
            assertThat(jobs.logLines("r1")).contains("start-r1").doesNotContain("end-r1");
            for (String name : names.subList(1, 4)) {
                List<String> log = jobs.logLines(name);
                assertThat(Collections.frequency(log, "start-" + name)).as(name).isEqualTo(1);
                assertThat(Collections.frequency(log, "end-" + name)).as(name).isEqualTo(1);
            }
            for (int index = 1; index < 3; index++) {
                assertThat(jobs.job(names.get(index)).path("ended_at").asLong())
                        .isLessThanOrEqualTo(jobs.job(names.get(index + 1)).path("started_at").asLong());
            }
        }
    }

    @Test
    void jobOfAServerThatDiedIsFailedWhenItsLeaseExpires(@TempDir Path dir) {
        ServerConfig config = ServerConfig.forTests(dir).withJobs(JobsConfig.DEFAULTS.withLocalMaxConcurrentJobs(1));
        try (TestServer server = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(server.http());
            jobs.submit("name: blocker\ncommand: sleep 30\n");
            jobs.awaitStatus("blocker", "Running", WAIT);
            JsonNode orphan = jobs.submit("name: orphan\ncommand: echo never\n");
            // What a crashed replica leaves behind: a running job whose lease nobody renews.
            server.server().database().writeVoid(handle -> handle.createUpdate("""
                    UPDATE jobs SET status = 'Running', lease_owner = 'crashed-host:1:dead', lease_expires = 1, started_at = 1
                    WHERE name = 'orphan'
                    """).execute());
            JsonNode failed = jobs.awaitEnded("orphan", WAIT);
            assertThat(failed.path("status").asText()).isEqualTo("Failed");
            assertThat(failed.path("reason").asText()).contains("lease expired");
            assertThat(jobs.logLines("orphan")).anyMatch(line -> line.contains("lease expired")).noneMatch(line -> line.equals("never"));
            assertThat(jobs.awaitRunStatus(orphan.path("run_id").asText(), "FAILED", java.time.Duration.ofSeconds(30)).path("info").path("status")
                .asText()).isEqualTo("FAILED");
            server.http().post("/api/v1/jobs/blocker/cancel", java.util.Map.of());
            assertThat(jobs.awaitEnded("blocker", WAIT).path("status").asText()).isEqualTo("Canceled");
        }
    }
}
