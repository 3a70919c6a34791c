package dev.atelier.server.serving.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.compute.local.LocalComputeConfig;
import dev.atelier.server.compute.SandboxMode;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.testing.RequiredTool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.atelier.server.serving.script.ScriptWorkersTest.call;
import static dev.atelier.server.serving.script.ScriptWorkersTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A scoring script runs in the sandbox like a job (it cannot read the data directory's key or database, sees only its
 * own variables), and its worker answers only the server: a call without the worker's secret is refused.
 */
class SandboxedScriptWorkerTest {
    /** init() tries the forbidden reads; run() answers what it saw. */
    static final String PROBE_SCORE = """
            import json, os

            report = {}

            def attempt(name, read):
                try:
                    read()
                    report[name] = "READ"
                except Exception as error:
                    report[name] = type(error).__name__

            def init():
                data = os.environ["PROBE_DATA_DIR"]
                attempt("master_key", lambda: open(os.path.join(data, "master.key"), "rb").read())
                attempt("database", lambda: open(os.path.join(data, "atelier.db"), "rb").read(16))
                attempt("data_dir", lambda: os.listdir(data))
                attempt("server_home", lambda: os.listdir(os.environ["PROBE_SERVER_HOME"]))
                report["variables"] = sorted(os.environ)
                report["home"] = os.environ.get("HOME")
                report["uid"] = os.getuid()

            def run(raw_data):
                return report
            """;
    /** bwrap sets PWD (as a shell would); the rest come from the worker's own description. */
    static final Set<String> ALLOWED = Set.of("PATH", "HOME", "LANG", "TZ", "PWD", "AZUREML_MODEL_DIR", "ATELIER_MODEL_DIR",
            "PYTHONUNBUFFERED", "ATELIER_WORKER_INDEX", "PROBE_DATA_DIR", "PROBE_SERVER_HOME");

    @TempDir
    Path dir;
    Path dataDir;
    LocalCompute local;
    ScriptWorkerSpec spec;

    @BeforeEach
    void folders() throws IOException {
        RequiredTool.require(ScriptWorkersTest.hasPython(), "python3 on " + LocalCompute.PATH);
        dataDir = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataDir.resolve("master.key"), "the-master-key");
        Files.writeString(dataDir.resolve("atelier.db"), "SQLite format 3");
        local = ScriptWorkersTest.localCompute(dir);
        Path code = Files.createDirectories(dir.resolve("code"));
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(code.resolve("score.py"), PROBE_SCORE);
        spec = ScriptWorkerSpec.of("endpoint/probe", code, "score.py", model, dir.resolve("work"))
                .withEnvironmentVariables(Map.of("PROBE_DATA_DIR", dataDir.toString(), "PROBE_SERVER_HOME", System.getProperty("user.home")));
    }

    @Test
    void aSandboxedScoringScriptCannotReadTheDataDirectoryAndSeesOnlyItsVariables() {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap (/usr/bin/bwrap)");
        assertThat(local.mode()).isEqualTo(SandboxMode.BUBBLEWRAP);
        try (ScriptWorkers workers = ScriptWorkersTest.start(local, spec)) {
            JsonNode report = json(workers.score(call(ScoringProtocol.AZURE_SCORE, "{}")));
            for (String forbidden : List.of("master_key", "database", "data_dir", "server_home")) {
                assertThat(report.path(forbidden).asText()).as(forbidden + " in " + report).isNotEqualTo("READ");
            }
            List<String> variables = new ArrayList<>();
            report.path("variables").forEach(name -> variables.add(name.asText()));
            assertThat(variables).as("the secret is removed before the script is imported").isSubsetOf(ALLOWED).contains("PATH", "HOME");
            assertThat(report.path("home").asText()).isNotEqualTo(System.getProperty("user.home"));
            if ("root".equals(System.getProperty("user.name"))) {
                assertThat(report.path("uid").asLong()).as("the worker runs as an unprivileged user").isNotZero();
            }
        }
    }

    @Test
    void withoutSandboxAndWithAuthADeploymentIsRefusedWithTheReason() {
        LocalCompute refused = LocalCompute.start(LocalComputeConfig.DEFAULTS.withWorkDir(dir.resolve("refused-root"))
                .withSandbox(LocalComputeConfig.Sandbox.NONE), dataDir, List.of(), true);
        assertThat(refused.mode()).isEqualTo(SandboxMode.REFUSED);
        assertThatThrownBy(() -> ScriptWorkersTest.start(refused, spec))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("--allow-unsandboxed-local-compute");
    }

    @Test
    void aDirectCallToTheWorkerWithoutItsSecretIsRefused() throws Exception {
        try (ScriptWorkers workers = ScriptWorkersTest.start(local, spec); HttpClient http = HttpClient.newHttpClient()) {
            URI score = workers.workerScoreUris().getFirst();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(score).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("master_key");
            HttpResponse<String> guessed = http.send(HttpRequest.newBuilder(score).header(ScoringRunner.SECRET_HEADER, "guess")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(guessed.statusCode()).isEqualTo(403);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(score.resolve("/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(401);
            assertThat(workers.score(call(ScoringProtocol.AZURE_SCORE, "{}")).status()).as("the server's own calls carry it").isEqualTo(200);
        }
    }
}
