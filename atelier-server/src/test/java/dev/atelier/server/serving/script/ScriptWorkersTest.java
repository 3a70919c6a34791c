package dev.atelier.server.serving.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.compute.local.LocalComputeConfig;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;
import dev.atelier.server.compute.local.LocalServices;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.testing.RequiredTool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real Python workers running real scoring scripts; skipped where {@code python3} is not on the PATH. */
class ScriptWorkersTest {
    static final String SCORE = """
            import json, os, time
            factor = None

            class Array:  # stands for a numpy array, which the runner sends through tolist()
                def __init__(self, values):
                    self.values = values
                def tolist(self):
                    return self.values

            def init():
                global factor
                with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "factor.txt")) as f:
                    factor = float(f.read())
                assert os.environ["ATELIER_MODEL_DIR"] == os.environ["AZUREML_MODEL_DIR"]
                print("loaded factor", factor, "greeting", os.environ.get("GREETING"))

            def run(raw_data):
                data = json.loads(raw_data)
                kind = data.get("kind") if isinstance(data, dict) else None
                if kind == "fail":
                    raise ValueError("bad input " + str(data.get("why")))
                if kind == "sleep":
                    time.sleep(data["seconds"])
                if kind == "worker":
                    return {"worker": int(os.environ["ATELIER_WORKER_INDEX"])}
                if kind == "echo":
                    return data["value"]
                if kind == "array":
                    return Array([1, 2])
                if kind == "text":
                    return "plain text"
                return [x * factor for x in data["data"]]
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path code;
    Path model;
    LocalCompute local;

    @BeforeEach
    void folders() throws IOException {
        RequiredTool.require(hasPython(), "python3 on " + LocalCompute.PATH);
        local = localCompute(dir);
        code = Files.createDirectories(dir.resolve("code"));
        model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("factor.txt"), "3");
        Files.writeString(code.resolve("score.py"), SCORE);
    }

    @Test
    void initReadsTheModelFolderAndRunUsesIt() {
        try (ScriptWorkers workers = start(local, spec().withEnvironmentVariables(Map.of("GREETING", "hello")))) {
            ScoringResponse response = workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [1, 2.5]}"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(json(response)).isEqualTo(json("[3.0, 7.5]"));
            assertThat(workers.ready()).isTrue();
            assertThat(workers.logs(100)).contains("[worker 0] loaded factor 3.0 greeting hello");
        }
    }

    @Test
    void azureScoreSendsTheAnswerAsItIs() {
        try (ScriptWorkers workers = start(local, spec())) {
            assertThat(json(workers.score(echo(ScoringProtocol.AZURE_SCORE, "{\"a\": [1, 2]}")))).isEqualTo(json("{\"a\": [1, 2]}"));
            ScoringResponse text = workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"kind\": \"text\"}"));
            assertThat(json(text).asText()).isEqualTo("plain text");
            assertThat(json(workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"kind\": \"array\"}")))).isEqualTo(json("[1, 2]"));
        }
    }

    @Test
    void mlflowInvocationsWrapsTheAnswerInPredictionsUnlessItHasThem() {
        try (ScriptWorkers workers = start(local, spec())) {
            assertThat(json(workers.score(call(ScoringProtocol.MLFLOW_INVOCATIONS, "{\"data\": [1]}"))))
                    .isEqualTo(json("{\"predictions\": [3.0]}"));
            assertThat(json(workers.score(echo(ScoringProtocol.MLFLOW_INVOCATIONS, "{\"predictions\": [7], \"x\": 1}"))))
                    .isEqualTo(json("{\"predictions\": [7], \"x\": 1}"));
            assertThat(json(workers.score(echo(ScoringProtocol.MLFLOW_INVOCATIONS, "{\"labels\": [7]}"))))
                    .isEqualTo(json("{\"predictions\": {\"labels\": [7]}}"));
        }
    }

    @Test
    void openInferenceWrapsTheAnswerAsOneTypedTensor() {
        try (ScriptWorkers workers = start(local, spec())) {
            assertThat(json(workers.score(echo(ScoringProtocol.OPEN_INFERENCE, "[[1, 2, 3], [4, 5, 6]]")))).isEqualTo(json("""
                    {"model_name": "m", "id": "request-1", "outputs": [
                      {"name": "output-0", "datatype": "INT64", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}]}"""));
            assertThat(json(workers.score(echo(ScoringProtocol.OPEN_INFERENCE, "[0.5, 2]"))).path("outputs").get(0))
                    .isEqualTo(json("{\"name\": \"output-0\", \"datatype\": \"FP64\", \"shape\": [2], \"data\": [0.5, 2]}"));
            assertThat(json(workers.score(echo(ScoringProtocol.OPEN_INFERENCE, "[[true], [false]]"))).path("outputs").get(0))
                    .isEqualTo(json("{\"name\": \"output-0\", \"datatype\": \"BOOL\", \"shape\": [2, 1], \"data\": [true, false]}"));
            assertThat(json(workers.score(echo(ScoringProtocol.OPEN_INFERENCE, "\"cat\""))).path("outputs").get(0))
                    .isEqualTo(json("{\"name\": \"output-0\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"cat\"]}"));
            String own = "{\"outputs\": [{\"name\": \"y\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1.5]}]}";
            assertThat(json(workers.score(echo(ScoringProtocol.OPEN_INFERENCE, own)))).isEqualTo(json(own));
            ScoringResponse withId = workers.score(call(ScoringProtocol.OPEN_INFERENCE, "{\"id\": \"abc\", \"kind\": \"echo\", \"value\": 1}"));
            assertThat(json(withId).path("id").asText()).isEqualTo("abc");
            assertThatThrownBy(() -> workers.score(echo(ScoringProtocol.OPEN_INFERENCE, "[[1, 2], [3]]")))
                    .isInstanceOf(ScoringScriptException.class).hasMessageContaining("different lengths");
        }
    }

    @Test
    void initThatRaisesFailsTheStartWithItsTraceback() throws IOException {
        Files.writeString(code.resolve("score.py"), """
                def init():
                    raise RuntimeError("the model file is corrupt")

                def run(raw_data):
                    return raw_data
                """);
        assertThatThrownBy(() -> start(local, spec().withInstanceCount(2)))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("failed to start")
                .hasMessageContaining("Traceback (most recent call last)")
                .hasMessageContaining("RuntimeError: the model file is corrupt");
        assertThat(workerProcesses()).isEmpty();
    }

    @Test
    void aMissingScoringScriptIsRejectedBeforeAnythingStarts() {
        ScriptWorkerSpec missing = new ScriptWorkerSpec("e/d", ScriptWorkerSpec.DEFAULT_PYTHON, code, "../score.py", model, Map.of(), 1,
                dir.resolve("work"), Duration.ofSeconds(30), Duration.ofSeconds(5), Optional.empty());
        assertThatThrownBy(() -> start(local, missing))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("code_configuration.scoring_script");
    }

    @Test
    void aPythonCommandThatCannotRunIsRejected() {
        ScriptWorkerSpec spec = spec();
        ScriptWorkerSpec noPython = new ScriptWorkerSpec(spec.deploymentId(), List.of("no-such-python-" + System.nanoTime()), code,
                "score.py", model, Map.of(), 1, spec.workingDir(), spec.startupTimeout(), spec.requestTimeout(), Optional.empty());
        assertThatThrownBy(() -> start(local, noPython))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("could not start the environment's Python command");
    }

    @Test
    void runThatRaisesIsAModelErrorWithItsMessageAndTheWorkerLivesOn() {
        try (ScriptWorkers workers = start(local, spec())) {
            assertThatThrownBy(() -> workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"kind\": \"fail\", \"why\": 42}")))
                    .isInstanceOf(ScoringScriptException.class).isNotInstanceOf(AtelierException.class)
                    .hasMessage("ValueError: bad input 42");
            // The worker's stderr reaches the log a line at a time, after the answer: wait for the traceback's last line.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (!String.join("\n", workers.logs(50)).contains("ValueError: bad input 42") && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            assertThat(String.join("\n", workers.logs(50))).contains("Traceback").contains("ValueError: bad input 42");
            assertThat(json(workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [1]}")))).isEqualTo(json("[3.0]"));
        }
    }

    @Test
    void aCallLongerThanTheRequestTimeoutFailsWithATimeout() {
        try (ScriptWorkers workers = start(local, spec().withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"kind\": \"sleep\", \"seconds\": 5}")))
                    .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE))
                    .hasMessageContaining("request timeout of 300 ms");
        }
    }

    @Test
    void aKilledWorkerIsReplacedAndCallsKeepSucceeding() throws InterruptedException {
        try (ScriptWorkers workers = start(local, spec())) {
            List<ProcessHandle> killed = workerProcesses();
            assertThat(killed).isNotEmpty();
            killed.forEach(ProcessHandle::destroyForcibly);
            awaitUntil(() -> workers.ready() && workers.logs(100).stream().anyMatch(line -> line.contains("worker 0 is back")));
            assertThat(workerProcesses()).isNotEmpty().noneMatch(killed::contains);
            assertThat(json(workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [2]}")))).isEqualTo(json("[6.0]"));
            assertThat(workers.logs(100)).anyMatch(line -> line.contains("worker 0 stopped")).anyMatch(line -> line.contains("worker 0 is back"));
        }
    }

    @Test
    void aWorkerThatCannotStartAgainIsRetriedUntilItCan() throws Exception {
        try (ScriptWorkers workers = start(local, spec())) {
            String working = Files.readString(code.resolve("score.py"));
            Files.writeString(code.resolve("score.py"), "def init():\n    raise OSError('disk gone')\n\ndef run(raw_data):\n    return 1\n");
            workerProcesses().forEach(ProcessHandle::destroyForcibly);
            awaitUntil(() -> workers.logs(200).stream().anyMatch(line -> line.contains("could not be started again")));
            assertThat(workers.ready()).isFalse();
            assertThatThrownBy(() -> workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [1]}")))
                    .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE));
            assertThat(String.join("\n", workers.logs(200))).contains("OSError: disk gone");
            Files.writeString(code.resolve("score.py"), working);
            awaitUntil(workers::ready);
            assertThat(json(workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [1]}")))).isEqualTo(json("[3.0]"));
        }
    }

    @Test
    void twoInstancesShareTheCalls() {
        try (ScriptWorkers workers = start(local, spec().withInstanceCount(2))) {
            // Each worker has its own PID namespace in the sandbox: it names itself by its index, not its PID.
            Set<Long> answeredBy = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                answeredBy.add(json(workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"kind\": \"worker\"}"))).path("worker").asLong());
            }
            assertThat(answeredBy).containsExactlyInAnyOrder(0L, 1L);
            assertThat(workers.workerScoreUris()).hasSize(2);
        }
    }

    @Test
    void closeStopsEveryWorkerAndFailsTheCallsInFlight() throws Exception {
        ScriptWorkers workers = start(local, spec().withInstanceCount(2).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        List<Long> pids = workerProcesses().stream().map(ProcessHandle::pid).toList();
        CompletableFuture<Throwable> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"kind\": \"sleep\", \"seconds\": 20}"));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Thread.sleep(300); // lets the call reach a worker (the assertions hold either way: a call after close fails alike)
        workers.close();
        assertThat(inFlight.get(15, TimeUnit.SECONDS)).isInstanceOfSatisfying(AtelierException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE));
        // A killed grandchild may linger a moment as a zombie (no command line) until its new parent reaps it.
        assertThat(pids).hasSizeGreaterThanOrEqualTo(2).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(process -> process.info().commandLine())).isEmpty());
        assertThat(workerProcesses()).isEmpty();
        assertThat(workers.ready()).isFalse();
        assertThatThrownBy(() -> workers.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [1]}")))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE));
    }

    /** Polls (a generous cap, no timing assertion: the assertions after it say what failed). */
    static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    ScriptWorkerSpec spec() {
        return ScriptWorkerSpec.of("endpoint/blue", code, "score.py", model, dir.resolve("work"))
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    static ScoringCall call(ScoringProtocol protocol, String body) {
        return new ScoringCall(protocol, "m", body.getBytes(StandardCharsets.UTF_8), "application/json", "request-1");
    }

    /** A call whose run() answers {@code value} (a JSON text) as the Python value it parses to. */
    static ScoringCall echo(ScoringProtocol protocol, String value) {
        return call(protocol, "{\"kind\": \"echo\", \"value\": " + value + "}");
    }

    static JsonNode json(ScoringResponse response) {
        assertThat(response.contentType()).isEqualTo("application/json");
        return json(new String(response.body(), StandardCharsets.UTF_8));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    /** The runner processes started for this test (their command line names its folder) that still live. */
    List<ProcessHandle> workerProcesses() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().map(line -> line.contains(dir.toString())).orElse(false))
                .toList();
    }

    /** Starts workers as services of the local target's backend, in {@code local}'s work root. */
    static ScriptWorkers start(LocalCompute local, ScriptWorkerSpec spec) {
        LocalServices services = new LocalServices(local, local.workRoot().resolve("services"));
        return ScriptWorkers.start(services::serve, new WorkloadId("default", "deployment", spec.deploymentId()), spec);
    }

    /** Whether local workloads find a {@code python3} (on their fixed PATH, not the server's). */
    static boolean hasPython() {
        return List.of(LocalCompute.PATH.split(File.pathSeparator)).stream().anyMatch(folder -> Files.isExecutable(Path.of(folder, "python3")));
    }

    /** The local compute of this host (sandboxed where bubblewrap works), its work root and a data directory in {@code dir}. */
    static LocalCompute localCompute(Path dir) {
        try {
            // JUnit makes temporary folders 0700: a sandboxed worker's user could not reach the code and model folders.
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return LocalCompute.start(LocalComputeConfig.DEFAULTS.withWorkDir(dir.resolve("work-root")), dir.resolve("data"), List.of(), false);
    }
}
