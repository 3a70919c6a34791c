package dev.atelier.server.compute;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the domain that asked for a run hears about it, on the backend's thread for that run. Calls come in order:
 * {@link #started} at most once, {@link #log} any number of times, {@link #ended} exactly once, last.
 */
public interface RunListener {
    /** The workload's program started (a process, a pod's main container). */
    void started();

    /** One line of its output ({@code stdout}, {@code stderr}) or of the backend's own ({@code system}). */
    void log(String stream, String line);

    /**
     * It ended. {@code outputs} is its outputs folder when it is on the server's host (read it now: the backend deletes
     * the workload's folder when this returns); empty when the workload uploaded its outputs itself.
     */
    void ended(RunOutcome outcome, Optional<Path> outputs);
}
