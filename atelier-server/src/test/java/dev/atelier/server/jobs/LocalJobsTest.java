package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Command jobs on the built-in {@code local} target, as real child processes of a real server. */
class LocalJobsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final JobsFixture jobs = new JobsFixture(server.http());

    @Test
    void javaProgramLogsIntoItsRunStreamsItsLogsInOrderAndUploadsOutputs() {
        String code = jobs.snapshot(Map.of("Train.java", Scripts.TRAIN_JAVA, "README.md", "tiny"));
        JsonNode submitted = jobs.submit("""
                type: command
                name: java-train
                display_name: Java training
                experiment_name: jobs-test
                tags: {team: ml}
                code: snapshot:%s
                command: %s Train.java ${{inputs.lines}} ${{outputs.model}} 0.5 0.75
                inputs:
                  lines: 120
                outputs:
                  model: {type: uri_folder}
                environment_variables: {SLEEP_MS: "0"}
                limits: {timeout: 120}
                """.formatted(code, JobsFixture.JAVA));
        assertThat(submitted.path("status").asText()).isIn("Queued", "Preparing", "Running");
        assertThat(submitted.path("run_id").asText()).isNotEmpty();

        JsonNode job = jobs.awaitEnded("java-train", WAIT);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("Completed");
        assertThat(job.path("exit_code").asInt()).isZero();
        assertThat(job.path("created_at").asLong()).isLessThanOrEqualTo(job.path("started_at").asLong());
        assertThat(job.path("started_at").asLong()).isLessThanOrEqualTo(job.path("ended_at").asLong());

        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, 120).forEach(i -> expected.add("line " + i));
        List<String> stdout = jobs.logLines("java-train").stream().filter(line -> line.startsWith("line ")).toList();
        assertThat(stdout).containsExactlyElementsOf(expected);
        assertThat(jobs.logLines("java-train")).contains("warning: done on stderr");

        JsonNode run = jobs.run(job.path("run_id").asText());
        assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
        assertThat(run.path("info").path("run_name").asText()).isEqualTo("Java training");
        assertThat(run.path("data").path("params").toString()).contains("\"lines\"", "\"120\"");
        assertThat(run.path("data").path("metrics").toString()).contains("accuracy", "0.75");
        assertThat(tag(run, "atelier.snapshot.id")).isEqualTo(code);
        assertThat(tag(run, "atelier.job.name")).isEqualTo("java-train");
        assertThat(tag(run, "team")).isEqualTo("ml");

        String runId = job.path("run_id").asText();
        assertThat(artifacts(runId, "outputs")).contains("outputs/model", "outputs/summary.txt");
        assertThat(artifacts(runId, "outputs/model")).containsExactly("outputs/model/model.txt");
        assertThat(artifacts(runId, "user_logs")).containsExactly("user_logs/std_log.txt");

        JsonNode snapshot = server.http().get("/api/v1/snapshots/" + code).json();
        assertThat(snapshot.path("files").findValuesAsText("path")).containsExactly("README.md", "Train.java");
    }

    @Test
    void failingScriptEndsFailedWithItsExitCode() {
        jobs.submit("""
                name: failing
                command: echo boom >&2; exit 3
                """);
        JsonNode job = jobs.awaitEnded("failing", WAIT);
        assertThat(job.path("status").asText()).isEqualTo("Failed");
        assertThat(job.path("exit_code").asInt()).isEqualTo(3);
        assertThat(job.path("reason").asText()).isEqualTo("Exit code 3");
        assertThat(jobs.logLines("failing")).contains("boom");
        assertThat(jobs.awaitRunStatus(job.path("run_id").asText(), "FAILED", java.time.Duration.ofSeconds(30)).path("info").path("status")
                .asText()).isEqualTo("FAILED");
    }

    @Test
    void timeoutKillsTheProcessAndMarksTheJob() {
        jobs.submit("""
                name: sleepy
                command: echo started; sleep 30
                limits:
                  timeout: 1
                """);
        JsonNode job = jobs.awaitEnded("sleepy", WAIT);
        assertThat(job.path("status").asText()).isEqualTo("Failed");
        assertThat(job.path("reason").asText()).contains("Timed out", "limits.timeout of 1 s");
        assertThat(job.path("ended_at").asLong() - job.path("started_at").asLong()).isLessThan(20_000);
    }

    @Test
    void cancelKillsTheWholeProcessTree() throws Exception {
        // The job's own PIDs are those of its sandbox's namespace: the test finds the grandchild by its unique command line.
        String sleep = "sleep " + (300 + (System.nanoTime() & 0xfff));
        jobs.submit("""
                name: tree
                command: %s & wait
                """.formatted(sleep));
        jobs.awaitStatus("tree", "Running", WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        java.util.Optional<ProcessHandle> found = java.util.Optional.empty();
        while (found.isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            JobsFixture.sleep(20);
            found = ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").endsWith("/" + sleep))
                    .findFirst();
        }
        long child = found.get().pid();

        assertThat(server.http().post("/api/v1/jobs/tree/cancel", Map.of()).status()).isEqualTo(200);
        JsonNode job = jobs.awaitEnded("tree", WAIT);
        assertThat(job.path("status").asText()).isEqualTo("Canceled");
        assertThat(job.path("reason").asText()).isEqualTo("Canceled by request");
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)) {
            assertThat(System.nanoTime()).as("the grandchild sleep is still alive").isLessThan(deadline);
            JobsFixture.sleep(20);
        }
        assertThat(jobs.awaitRunStatus(job.path("run_id").asText(), "KILLED", java.time.Duration.ofSeconds(30)).path("info").path("status")
                .asText()).isEqualTo("KILLED");
        assertThat(server.http().post("/api/v1/jobs/tree/cancel", Map.of()).errorCode()).isEqualTo("INVALID_STATE");
    }

    @Test
    void pythonScriptLogsThroughTheRestApi() {
        RequiredTool.require(JobsFixture.hasPython(), "python3 on " + LocalCompute.PATH);
        String code = jobs.snapshot(Map.of("train.py", Scripts.TRAIN_PY));
        jobs.submit("""
                name: python-train
                code: snapshot:%s
                command: python3 train.py ${{inputs.lr}}
                inputs: {lr: 0.01}
                """.formatted(code));
        JsonNode job = jobs.awaitEnded("python-train", WAIT);
        assertThat(job.path("status").asText()).as(jobs.logLines("python-train").toString()).isEqualTo("Completed");
        assertThat(jobs.logLines("python-train")).contains("trained with lr 0.01");
        JsonNode history = server.http().get("/api/2.0/mlflow/metrics/get-history?run_id=" + job.path("run_id").asText()
                + "&metric_key=loss").json();
        assertThat(history.path("metrics")).hasSize(3);
        assertThat(artifacts(job.path("run_id").asText(), "outputs")).contains("outputs/py.txt");
    }

    @Test
    void secretsReachTheProcessButNeverTheJobRecord() {
        assertThat(server.http().post("/api/v1/secrets", Map.of("name", "db-password", "value", "s3cr3t-value")).status())
                .isEqualTo(201);
        jobs.submit("""
                name: with-secret
                command: test "$DB_PASSWORD" = "$PREFIX-value" && echo secret-ok
                environment_variables: {PREFIX: s3cr3t}
                secrets: {DB_PASSWORD: db-password}
                """);
        JsonNode job = jobs.awaitEnded("with-secret", WAIT);
        assertThat(job.path("status").asText()).isEqualTo("Completed");
        assertThat(jobs.logLines("with-secret")).contains("secret-ok");
        assertThat(job.toString()).doesNotContain("s3cr3t-value").contains("db-password");
        assertThat(server.http().get("/api/v1/jobs").text()).doesNotContain("s3cr3t-value");
    }

    private static String tag(JsonNode run, String key) {
        for (JsonNode tag : run.path("data").path("tags")) {
            if (tag.path("key").asText().equals(key)) {
                return tag.path("value").asText();
            }
        }
        return null;
    }

    private static List<String> artifacts(String runId, String path) {
        return server.http().get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + path).json()
                .path("files").findValuesAsText("path");
    }
}
