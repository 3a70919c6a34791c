package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The workers of one deployment, the replicas of one service workload: one slot per instance holding the worker that
 * takes calls (or none while it is restarted), and, per replica, the start its lines belong to. The compute backend
 * starts and stops the processes; {@link #close} stops them all, even one still starting. Thread-safe.
 */
final class WorkerPool implements ServiceListener {
    private final ScriptWorkerSpec spec;
    private final String secret;
    private final WorkerLog log;
    private final AtomicReferenceArray<ScriptWorker> serving;
    /** The start each replica's lines go to, and the one its next start will be. */
    private final AtomicReferenceArray<ScriptWorker> current;
    private final AtomicReferenceArray<ScriptWorker> pending;
    private final AtomicInteger next = new AtomicInteger();
    private ServiceHandle handle;
    private boolean closed;

    WorkerPool(ScriptWorkerSpec spec, String secret, WorkerLog log) {
        this.spec = spec;
        this.secret = secret;
        this.log = log;
        this.serving = new AtomicReferenceArray<>(spec.instanceCount());
        this.current = new AtomicReferenceArray<>(spec.instanceCount());
        this.pending = new AtomicReferenceArray<>(spec.instanceCount());
    }

    int size() {
        return serving.length();
    }

    /**
     * Serves every replica; none takes calls before {@link #serve}. Returns the first start of each.
     *
     * @throws AtelierException when the service cannot be started (the message says why)
     */
    ScriptWorker[] launchAll(ServiceLauncher launcher, ServiceSpec service) {
        ScriptWorker[] workers = new ScriptWorker[size()];
        for (int index = 0; index < workers.length; index++) {
            workers[index] = new ScriptWorker(index, secret, log);
            pending.set(index, workers[index]);
        }
        ServiceHandle started;
        try {
            started = launcher.serve(service, this);
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.INVALID_PARAMETER_VALUE) {
                throw new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, "Deployment " + spec.deploymentId()
                        + ": could not start the environment's Python command " + spec.pythonCommand() + ": " + e.getMessage());
            }
            throw e;
        }
        synchronized (this) {
            handle = started;
            if (closed) {
                started.stop();
                throw stoppedError();
            }
        }
        return workers;
    }

    /**
     * Starts worker {@code index} again (stopping what runs in its slot) and waits until it listens; it takes no calls
     * before {@link #serve}.
     *
     * @throws AtelierException when it cannot be started or fails to start (the message says why), or the pool is closed
     */
    ScriptWorker relaunch(int index) {
        ScriptWorker worker = new ScriptWorker(index, secret, log);
        ServiceHandle service;
        synchronized (this) {
            if (closed) {
                throw stoppedError();
            }
            service = handle;
            pending.set(index, worker);
        }
        service.restart(index);
        worker.awaitListening(spec.deploymentId(), spec.startupTimeout());
        return worker;
    }

    @Override
    public void started(int replica) {
        current.set(replica, pending.get(replica));
    }

    @Override
    public void log(int replica, String stream, String line) {
        ScriptWorker worker = current.get(replica);
        if (worker != null) {
            worker.line(stream, line);
        }
    }

    @Override
    public void exited(int replica, int exitCode) {
        ScriptWorker worker = current.get(replica);
        if (worker != null) {
            worker.exited(exitCode);
        }
    }

    /** Lets a started worker take calls in its slot; a pool closed meanwhile leaves it out (its process is stopped). */
    synchronized void serve(ScriptWorker worker) {
        if (!closed) {
            serving.set(worker.index(), worker);
        }
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

    /** Takes the worker out of its slot: calls skip it from now on, and its next start replaces its process. */
    void retire(ScriptWorker worker) {
        serving.compareAndSet(worker.index(), worker, null);
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Stops every worker, serving or still starting; later starts fail. */
    void close() {
        ServiceHandle service;
        synchronized (this) {
            closed = true;
            service = handle;
        }
        for (int index = 0; index < serving.length(); index++) {
            serving.set(index, null);
        }
        if (service != null) {
            service.stop();
        }
    }

    AtelierException stoppedError() {
        return new AtelierException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Deployment " + spec.deploymentId() + " is stopped");
    }
}
