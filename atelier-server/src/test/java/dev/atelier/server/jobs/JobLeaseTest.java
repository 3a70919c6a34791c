package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A server runs a job only while it holds the job's lease, and never leaves a job it claimed without an end. */
class JobLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aJobWhoseLeaseAnotherServerTookIsStoppedHereAndLeftToThatServer(@TempDir Path dir) throws InterruptedException {
        try (TestServer server = TestServer.start(ServerConfig.forTests(dir))) {
            JobsFixture jobs = new JobsFixture(server.http());
            jobs.submit("name: taken\ncommand: echo started; sleep 120; echo finished\n");
            jobs.awaitStatus("taken", "Running", WAIT);
            // Another server took the job over (this one's lease had lapsed, say in a long pause) and runs it now.
            server.server().database().writeVoid(handle -> handle.createUpdate("""
                    UPDATE jobs SET lease_owner = 'other-host:1:live', lease_expires = 9000000000000 WHERE name = 'taken'
                    """).execute());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (jobs.logLines("taken").stream().noneMatch(line -> line.contains("lost the job's lease")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(jobs.logLines("taken")).anyMatch(line -> line.contains("lost the job's lease")).doesNotContain("finished");
            JsonNode job = jobs.job("taken");
            assertThat(job.path("status").asText()).as("the new holder's job, not ended by this server").isEqualTo("Running");
        }
    }

    @Test
    void aClaimedJobThatCannotStartEndsFailedInsteadOfStayingHeld(@TempDir Path dir) {
        try (TestServer server = TestServer.start(ServerConfig.forTests(dir))) {
            JobsFixture jobs = new JobsFixture(server.http());
            // A stored sweep whose document this server cannot read (written by another version, say): its driver throws.
            server.server().database().writeVoid(handle -> handle.createUpdate("""
                    INSERT INTO jobs (workspace, name, queue_seq, job_type, status, compute, spec, experiment_id, run_id, created_by,
                                      created_at, cancel_requested)
                    VALUES ('default', 'unreadable', 900000000, 'sweep', 'Queued', 'local', '{"type": "sweep"}', '0', 'no-run',
                            'local', 1, 0)
                    """).execute());
            JsonNode failed = jobs.awaitEnded("unreadable", WAIT);
            assertThat(failed.path("status").asText()).isEqualTo("Failed");
            assertThat(failed.path("reason").asText()).startsWith("The job could not start");
            assertThat(jobs.logLines("unreadable")).anyMatch(line -> line.startsWith("[atelier] The job could not start"));
        }
    }
}
