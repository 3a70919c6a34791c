package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline's state is in the database: the next server resumes it, sees what its steps became, never queues a step
 * twice, and a re-submission reuses what completed.
 */
class PipelineRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static String pipeline(String name, int pause) {
        return """
                type: pipeline
                name: %s
                inputs:
                  pause: %d
                jobs:
                  prepare:
                    command: echo start-prepare && mkdir -p ${{outputs.out}} && echo restart-salt > ${{outputs.out}}/v.txt
                    outputs:
                      out:
                  train:
                    command: echo start-train && sleep ${{inputs.pause}} && mkdir -p ${{outputs.out}} && cp ${{inputs.data}}/v.txt ${{outputs.out}}/
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.out}}
                      pause: ${{parent.inputs.pause}}
                    outputs:
                      out:
                  evaluate:
                    command: cat ${{inputs.data}}/v.txt
                    inputs:
                      data: ${{parent.jobs.train.outputs.out}}
                """.formatted(name, pause);
    }

    @Test
    void aRestartedServerResumesThePipelineWithoutRunningAStepTwiceAndAResubmissionReusesWhatCompleted(@TempDir Path dir) {
        ServerConfig config = ServerConfig.forTests(dir.resolve("data"));
        try (TestServer first = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(first.http());
            jobs.submit(pipeline("interrupted", 60));
            PipelineJobTest.awaitStep(jobs, "interrupted", "prepare", "Completed");
            jobs.awaitStatus("interrupted-train", "Running", WAIT);
        }
        try (TestServer second = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(second.http());
            JsonNode interrupted = jobs.awaitEnded("interrupted", WAIT);
            assertThat(interrupted.path("status").asText()).isEqualTo("Failed");
            assertThat(PipelineJobTest.statuses(interrupted)).containsExactly(Map.entry("prepare", "Completed"),
                    Map.entry("train", "Failed"), Map.entry("evaluate", "Skipped"));
            assertThat(jobs.job("interrupted-train").path("reason").asText()).isEqualTo(JobScheduler.SHUTDOWN_REASON);
            assertThat(Collections.frequency(jobs.logLines("interrupted-prepare"), "start-prepare")).isEqualTo(1);
            assertThat(Collections.frequency(jobs.logLines("interrupted-train"), "start-train")).isEqualTo(1);

            JsonNode again = jobs.awaitEnded(jobs.submit(pipeline("resumed", 0)).path("name").asText(), WAIT);
            assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("Completed");
            assertThat(PipelineJobTest.statuses(again)).containsExactly(Map.entry("prepare", "Reused"), Map.entry("train", "Completed"),
                    Map.entry("evaluate", "Completed"));
            assertThat(PipelineJobTest.steps(again).get("prepare").path("reused_from").asText()).isEqualTo("interrupted-prepare");
            assertThat(jobs.logLines("resumed-evaluate")).contains("restart-salt");
        }
    }

    @Test
    void aPipelineWaitingForComputeResumesOnTheNextServerAndRunsEachStepOnce(@TempDir Path dir) {
        ServerConfig config = ServerConfig.forTests(dir.resolve("data")).withJobs(JobsConfig.DEFAULTS.withLocalMaxConcurrentJobs(1));
        try (TestServer first = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(first.http());
            jobs.submit("name: blocker\ncommand: sleep 60\n");
            jobs.awaitStatus("blocker", "Running", WAIT);
            jobs.submit(pipeline("waiting", 0));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (PipelineJobTest.steps(jobs.job("waiting")).get("prepare").path("job_name").isNull()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                JobsFixture.sleep(50);
            }
            assertThat(jobs.job("waiting-prepare").path("status").asText()).isEqualTo("Queued");
        }
        try (TestServer second = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(second.http());
            JsonNode waiting = jobs.awaitEnded("waiting", WAIT);
            assertThat(waiting.path("status").asText()).as(waiting.toString()).isEqualTo("Completed");
            for (String step : new String[] {"prepare", "train"}) {
                assertThat(Collections.frequency(jobs.logLines("waiting-" + step), "start-" + step)).as(step).isEqualTo(1);
            }
            assertThat(jobs.logLines("waiting-evaluate")).contains("restart-salt");
        }
    }
}
