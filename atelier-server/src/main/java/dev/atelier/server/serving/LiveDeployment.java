package dev.atelier.server.serving;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * One started generation of a deployment on this server: its backend, the slots that bound
 * concurrent requests, and a count of calls in flight so that a replaced generation is closed only
 * after its last call ended (a rolling update fails no request).
 */
final class LiveDeployment {
    final String name;
    final long generation;
    final DeploymentSpec spec;
    final DeploymentBackend backend;
    final Semaphore slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;
    private volatile boolean retired;

    LiveDeployment(String name, long generation, DeploymentSpec spec, DeploymentBackend backend, Runnable onClose) {
        this.name = requireNonNull(name, "name is null");
        this.generation = generation;
        this.spec = requireNonNull(spec, "spec is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.slots = new Semaphore(spec.requestSettings().maxConcurrentRequestsPerInstance() * spec.instanceCount(), true);
    }

    /** Takes a call; false when this generation was retired meanwhile (the caller picks again). */
    boolean enter() {
        inFlight.incrementAndGet();
        if (retired) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** Takes no more calls; closes the backend once the calls in flight have ended. */
    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            closeOnce();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            try {
                backend.close();
            } finally {
                onClose.run();
            }
        }
    }
}
