package dev.atelier.server.compute;

/** A run a backend is watching. Thread-safe. */
public interface RunHandle {
    /** Stops it (kills the process tree, deletes the pod) and returns at once; it then ends {@link RunOutcome.Stopped}. */
    void stop();

    /** Whether {@link RunListener#ended} has returned. */
    boolean ended();
}
