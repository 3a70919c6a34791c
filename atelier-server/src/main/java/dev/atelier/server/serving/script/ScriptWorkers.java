package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.serving.DeploymentBackend;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scoring-script deployment run as Python worker processes on the server's host, the replicas of one service
 * workload of the compute layer ({@link ServiceLauncher}; sandboxed there): each runs Atelier's runner
 * ({@link ScoringRunner}) on 127.0.0.1 with an ephemeral port, which imported the deployment's scoring script and
 * called its {@code init()}. The workers share a random secret (in their environment, never on their command line)
 * that every call carries in {@link ScoringRunner#SECRET_HEADER}: another local process that finds a port cannot call
 * the script past the endpoint's keys. Calls go round-robin to the live workers over keep-alive connections, with the
 * deployment's request timeout; a {@link WorkerSupervisor} restarts workers that die or stop answering their
 * health check. Every protocol hands the request body to {@code run()}; {@link ScriptAnswers} shapes the answer.
 * Thread-safe; {@link #close} may run while calls are in flight (they fail with 503).
 */
public final class ScriptWorkers implements DeploymentBackend {
    /** The variable holding a worker's index (0, 1, ...): a script may name itself by it. */
    public static final String WORKER_INDEX_VARIABLE = "ATELIER_WORKER_INDEX";
    private static final String CODE = "code";
    private static final String MODEL = "model";
    private static final String RUNNER = "runner";

    private final ScriptWorkerSpec spec;
    private final WorkerLog log;
    private final WorkerPool pool;
    private final HttpClient http;
    private final WorkerSupervisor supervisor;
    private volatile boolean closed;

    private ScriptWorkers(ScriptWorkerSpec spec, WorkerLog log, WorkerPool pool, HttpClient http) {
        this.spec = spec;
        this.log = log;
        this.pool = pool;
        this.http = http;
        this.supervisor = new WorkerSupervisor(pool, http, log, spec.deploymentId());
    }

    /**
     * Starts {@code spec.instanceCount()} workers and returns once every one listens (its {@code init()} returned).
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the code folder, scoring script or model folder
     *                          is missing or the Python command cannot be run; {@code INVALID_STATE} when a worker
     *                          fails to start, with that worker's last output (such as {@code init()}'s traceback).
     *                          No process is left running then.
     */
    public static ScriptWorkers start(ServiceLauncher launcher, WorkloadId id, ScriptWorkerSpec spec) {
        check(spec);
        ScoringRunner.writeTo(spec.workingDir());
        List<String> command = ScoringRunner.command(spec.pythonCommand(), ServiceSpec.folder(RUNNER) + "/" + ScoringRunner.FILE_NAME,
                ServiceSpec.folder(CODE), spec.scoringScript(), ServiceSpec.HOST, ServiceSpec.PORT);
        Map<String, String> variables = new HashMap<>(spec.environmentVariables());
        variables.putAll(ScoringRunner.modelVariables(ServiceSpec.folder(MODEL)));
        String secret = ScoringRunner.newSecret();
        // The runner, the code and the model are only read.
        ServiceSpec service = new ServiceSpec(id, Map.of(), command, Optional.of(CODE), variables,
                Map.of(ScoringRunner.SECRET_VARIABLE, secret), Optional.of(WORKER_INDEX_VARIABLE), Optional.empty(),
                List.of(new ServiceFiles(CODE, Optional.of(spec.codeDir()), Optional.empty()),
                        new ServiceFiles(MODEL, Optional.of(spec.modelDir()), Optional.empty()),
                        new ServiceFiles(RUNNER, Optional.of(spec.workingDir()), Optional.empty())),
                spec.instanceCount(), "/health", Optional.empty(), Optional.empty(), Optional.empty());
        WorkerLog log = new WorkerLog();
        log.system("starting " + spec.instanceCount() + " worker(s) for deployment " + spec.deploymentId() + ": " + String.join(" ", command));
        WorkerPool pool = new WorkerPool(spec, secret, log);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        try {
            for (ScriptWorker worker : pool.launchAll(launcher, service)) {
                worker.awaitListening(spec.deploymentId(), spec.startupTimeout());
                pool.serve(worker);
            }
        } catch (RuntimeException e) {
            pool.close();
            http.shutdownNow();
            throw e;
        }
        log.system("all " + spec.instanceCount() + " worker(s) listen");
        ScriptWorkers workers = new ScriptWorkers(spec, log, pool, http);
        workers.supervisor.start();
        return workers;
    }

    /**
     * Sends the call's body to {@code run()} on the next live worker.
     *
     * @throws AtelierException     {@code TEMPORARILY_UNAVAILABLE} (503) when no worker is live, the deployment is
     *                              closed, or {@code run()} took longer than the request timeout
     * @throws ScoringScriptException when {@code run()} raised (its message), a worker died during the call, or the
     *                              answer does not fit the protocol
     */
    @Override
    public ScoringResponse score(ScoringCall call) {
        for (int attempt = 0; attempt < pool.size(); attempt++) {
            ScriptWorker worker = pool.next().orElseThrow(this::unavailable);
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(worker, call), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                continue; // nothing reached the worker: another one may take the call while the supervisor replaces it
            } catch (HttpTimeoutException e) {
                throw new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Deployment " + spec.deploymentId()
                        + ": run() took longer than the request timeout of " + spec.requestTimeout().toMillis() + " ms");
            } catch (IOException e) {
                if (closed) {
                    throw pool.stoppedError();
                }
                throw new ScoringScriptException("Deployment " + spec.deploymentId() + ": worker " + worker.index()
                        + " failed during the call: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The call was interrupted");
            }
            if (response.statusCode() != 200) {
                throw new ScoringScriptException(ScriptAnswers.workerError(response.statusCode(), response.body()));
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("application/json");
            return ScriptAnswers.answer(call, contentType, response.body());
        }
        throw unavailable();
    }

    /** Whether it has finished starting, is not closed, and at least one worker is live. */
    @Override
    public boolean ready() {
        return !closed && pool.anyServing();
    }

    @Override
    public Optional<ModelSignature> signature() {
        return spec.signature();
    }

    /** The last {@code tail} lines of all workers' output ({@code [worker <i>] ...}) and of their supervision ({@code [atelier] ...}). */
    @Override
    public List<String> logs(int tail) {
        return log.tail(tail);
    }

    /** Stops the supervisor and every worker process tree; calls in flight fail with 503. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervisor.stop();
        pool.close();
        http.shutdownNow();
        log.system("stopped");
    }

    /** The {@code /score} URIs of the workers now taking calls (tests: a call without the secret must be refused). */
    List<java.net.URI> workerScoreUris() {
        List<java.net.URI> uris = new ArrayList<>();
        for (int index = 0; index < pool.size(); index++) {
            pool.serving(index).ifPresent(worker -> uris.add(worker.scoreUri()));
        }
        return uris;
    }

    private HttpRequest request(ScriptWorker worker, ScoringCall call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(worker.scoreUri()).timeout(spec.requestTimeout())
                .header("X-Request-Id", call.requestId()).header(ScoringRunner.SECRET_HEADER, worker.secret()).POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (!call.contentType().isBlank()) {
            request.header("Content-Type", call.contentType());
        }
        return request.build();
    }

    private AtelierException unavailable() {
        return closed ? pool.stoppedError() : new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                "Deployment " + spec.deploymentId() + " has no live worker now; the failed ones are being restarted (see its logs)");
    }

    private static void check(ScriptWorkerSpec spec) {
        if (!Files.isDirectory(spec.codeDir())) {
            throw AtelierException.invalidParameter("code_configuration.code: the code folder " + spec.codeDir() + " does not exist");
        }
        Path script = spec.codeDir().resolve(spec.scoringScript()).normalize();
        if (!script.startsWith(spec.codeDir().normalize()) || !Files.isRegularFile(script)) {
            throw AtelierException.invalidParameter("code_configuration.scoring_script: '" + spec.scoringScript()
                    + "' is not a file in the code folder");
        }
        if (!Files.isDirectory(spec.modelDir())) {
            throw AtelierException.invalidParameter("model: the model folder " + spec.modelDir() + " does not exist");
        }
    }
}
