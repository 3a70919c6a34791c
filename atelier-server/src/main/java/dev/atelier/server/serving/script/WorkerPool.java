package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.compute.local.ProcessTree;
import dev.atelier.server.compute.local.Workload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The worker processes of one deployment: one slot per instance holding the worker that takes calls (or none while
 * it is restarted), and every process started and not yet stopped, so that {@link #close} leaves none behind, even
 * one still starting. Thread-safe.
 */
final class WorkerPool {
    private final LocalCompute local;
    private final ScriptWorkerSpec spec;
    private final List<String> command;
    private final WorkerLog log;
    private final AtomicReferenceArray<ScriptWorker> serving;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<ScriptWorker> started = new HashSet<>();
    private boolean closed;

    WorkerPool(LocalCompute local, ScriptWorkerSpec spec, List<String> command, WorkerLog log) {
        this.local = local;
        this.spec = spec;
        this.command = List.copyOf(command);
        this.log = log;
        this.serving = new AtomicReferenceArray<>(spec.instanceCount());
    }

    int size() {
        return serving.length();
    }

    /**
     * Starts worker {@code index} and waits until it listens; it takes no calls before {@link #serve}.
     *
     * @throws AtelierException when it cannot be started or fails to start (the message says why), or the pool is closed
     */
    ScriptWorker launch(int index) {
        Map<String, String> variables = new HashMap<>(spec.environmentVariables());
        variables.putAll(ScoringRunner.modelVariables(spec.modelDir().toAbsolutePath().toString()));
        variables.put("ATELIER_WORKER_INDEX", Integer.toString(index));
        String secret = ScoringRunner.newSecret();
        variables.put(ScoringRunner.SECRET_VARIABLE, secret);
        // Its own folder (HOME) below the runner's; the runner, the code and the model are only read.
        Workload workload = new Workload("worker " + index + " of deployment " + spec.deploymentId(), Workload.Kind.SERVING, command,
                spec.workingDir().resolve("worker-" + index), spec.codeDir(), variables,
                List.of(spec.workingDir(), spec.codeDir(), spec.modelDir()));
        ScriptWorker worker;
        synchronized (this) {
            if (closed) {
                throw stoppedError();
            }
            try {
                worker = ScriptWorker.launch(index, local.start(workload), secret, log);
            } catch (IOException e) {
                throw new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, "Deployment " + spec.deploymentId()
                        + ": could not start the environment's Python command " + spec.pythonCommand() + ": " + e.getMessage());
            }
            started.add(worker);
        }
        try {
            worker.awaitListening(spec.deploymentId(), spec.startupTimeout());
        } catch (RuntimeException e) {
            forget(worker);
            throw e;
        }
        return worker;
    }

    /** Lets a started worker take calls in its slot; a pool closed meanwhile stops it instead. */
    void serve(ScriptWorker worker) {
        synchronized (this) {
            if (!closed) {
                serving.set(worker.index(), worker);
                return;
            }
        }
        retire(worker);
    }

    Optional<ScriptWorker> serving(int index) {
        return Optional.ofNullable(serving.get(index));
    }

    /** The next live worker in turn, skipping empty slots and dead processes. */
    Optional<ScriptWorker> next() {
        int start = Math.floorMod(next.getAndIncrement(), serving.length());
        for (int offset = 0; offset < serving.length(); offset++) {
            ScriptWorker worker = serving.get((start + offset) % serving.length());
            if (worker != null && worker.alive()) {
                return Optional.of(worker);
            }
        }
        return Optional.empty();
    }

    boolean anyServing() {
        for (int index = 0; index < serving.length(); index++) {
            ScriptWorker worker = serving.get(index);
            if (worker != null && worker.alive()) {
                return true;
            }
        }
        return false;
    }

    /** Takes the worker out of its slot (calls skip it from now on) and stops its process tree. */
    void retire(ScriptWorker worker) {
        serving.compareAndSet(worker.index(), worker, null);
        ProcessTree.kill(List.of(worker.process()));
        forget(worker);
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Stops every process it started, serving or still starting; later launches fail. */
    void close() {
        List<ScriptWorker> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(started);
            started.clear();
        }
        for (int index = 0; index < serving.length(); index++) {
            serving.set(index, null);
        }
        ProcessTree.kill(all.stream().map(ScriptWorker::process).toList());
    }

    AtelierException stoppedError() {
        return new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Deployment " + spec.deploymentId() + " is stopped");
    }

    private synchronized void forget(ScriptWorker worker) {
        started.remove(worker);
    }
}
