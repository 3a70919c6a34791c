package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Data Scientist's job must not reach the server's secrets: in the bubblewrap sandbox it cannot read the master key,
 * the database, the data directory, another job's folder or the server's home, and sees only its own variables;
 * it still logs metrics through {@code MLFLOW_TRACKING_URI} and its {@code ./outputs} are uploaded.
 */
class SandboxedJobTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    /** Tries each forbidden read, records how it ended ("READ" or the exception), logs a metric, writes the report into outputs. */
    static final String PROBE_PY = """
            import json, os, time, urllib.request

            report = {}
            def attempt(name, read):
                try:
                    read()
                    report[name] = "READ"
                except Exception as error:
                    report[name] = type(error).__name__

            data = os.environ["PROBE_DATA_DIR"]
            attempt("master_key", lambda: open(os.path.join(data, "master.key"), "rb").read())
            attempt("database", lambda: open(os.path.join(data, "atelier.db"), "rb").read(16))
            attempt("data_dir", lambda: os.listdir(data))
            attempt("other_job", lambda: os.listdir(os.environ["PROBE_OTHER_JOB"]))
            attempt("server_home", lambda: os.listdir(os.environ["PROBE_SERVER_HOME"]))
            report["variables"] = sorted(os.environ)
            report["home"] = os.environ.get("HOME")
            report["uid"] = os.getuid()
            body = {"run_id": os.environ["MLFLOW_RUN_ID"], "key": "probed", "value": 1.0, "timestamp": int(time.time() * 1000), "step": 0}
            request = urllib.request.Request(os.environ["MLFLOW_TRACKING_URI"] + "/api/2.0/mlflow/runs/log-metric",
                                             data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request).read()
            with open(os.path.join("outputs", "report.json"), "w") as f:
                json.dump(report, f)
            print("REPORT " + json.dumps(report), flush=True)
            """;
    /**
     * What a job may see: the fixed four, the shell's PWD, its MLFLOW_ and ATELIER_ variables, the submitting request's
     * W3C trace context (TRACEPARENT), and its declared ones.
     */
    static final Set<String> ALLOWED = Set.of("PATH", "HOME", "LANG", "TZ", "PWD", "MLFLOW_TRACKING_URI", "MLFLOW_RUN_ID",
            "MLFLOW_EXPERIMENT_ID", "ATELIER_URL", "ATELIER_WORKSPACE", "ATELIER_JOB_NAME", "TRACEPARENT", "PROBE_DATA_DIR",
            "PROBE_OTHER_JOB", "PROBE_SERVER_HOME");

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final JobsFixture jobs = new JobsFixture(server.http());

    @Test
    void aSandboxedJobSeesNoSecretOfTheServerAndStillLogsAndUploads() throws Exception {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap (/usr/bin/bwrap)");
        RequiredTool.require(JobsFixture.hasPython(), "python3 on " + LocalCompute.PATH);
        assertThat(server.http().get("/api/v1/computes/local").json().path("local").path("sandbox").asText()).isEqualTo("bubblewrap");
        Path dataDir = server.server().server().dataDir();
        assertThat(dataDir.resolve("master.key")).exists();
        assertThat(dataDir.resolve("atelier.db")).exists();
        jobs.submit("""
                name: other
                command: echo private > outputs/private.txt; sleep 120
                """);
        jobs.awaitStatus("other", "Running", WAIT);
        Path otherJob = server.server().server().localCompute().workRoot().resolve("jobs/default/other");
        assertThat(otherJob.resolve("wd")).isDirectory();

        String code = jobs.snapshot(Map.of("probe.py", PROBE_PY));
        jobs.submit("""
                name: probe
                code: snapshot:%s
                command: python3 probe.py
                environment_variables: {PROBE_DATA_DIR: '%s', PROBE_OTHER_JOB: '%s', PROBE_SERVER_HOME: '%s'}
                """.formatted(code, dataDir, otherJob, System.getProperty("user.home")));
        JsonNode job = jobs.awaitEnded("probe", WAIT);
        List<String> log = jobs.logLines("probe");
        server.http().post("/api/v1/jobs/other/cancel", Map.of());
        assertThat(job.path("status").asText()).as(log.toString()).isEqualTo("Completed");
        JsonNode report = report(log);
        for (String forbidden : List.of("master_key", "database", "data_dir", "other_job", "server_home")) {
            assertThat(report.path(forbidden).asText()).as(forbidden + " in " + report).isNotEqualTo("READ");
        }
        List<String> variables = new ArrayList<>();
        report.path("variables").forEach(name -> variables.add(name.asText()));
        assertThat(variables).isSubsetOf(ALLOWED).contains("PATH", "HOME", "MLFLOW_TRACKING_URI");
        assertThat(report.path("home").asText()).isNotEqualTo(System.getProperty("user.home")).doesNotStartWith(dataDir.toString());
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(report.path("uid").asLong()).as("the job runs as an unprivileged user").isNotZero();
        }
        String runId = job.path("run_id").asText();
        JsonNode history = server.http().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=probed").json();
        assertThat(history.path("metrics")).hasSize(1);
        assertThat(server.http().get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=outputs").json()
                .path("files").findValuesAsText("path")).contains("outputs/report.json");
    }

    static JsonNode report(List<String> log) throws Exception {
        String line = log.stream().filter(text -> text.startsWith("REPORT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no REPORT line in " + log));
        return new ObjectMapper().readTree(line.substring("REPORT ".length()));
    }
}
