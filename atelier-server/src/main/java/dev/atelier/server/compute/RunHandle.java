package dev.atelier.server.compute;

/** A run a backend is watching. Thread-safe. */
public interface RunHandle {
    /** Stops it (kills the process tree, deletes the pod) and returns at once; it then ends {@link RunOutcome.Stopped}. */
    void stop();

    /**
     * The server is stopping: stops watching and leaves the workload running where it outlives the server (a pod; a
     * later server finds it with {@link ComputeBackend#reattach}), returning true, and the listener hears nothing more.
     * Where it cannot outlive the server (a local process) this is {@link #stop} and returns false.
     */
    boolean detach();

    /** Whether {@link RunListener#ended} has returned. */
    boolean ended();
}
