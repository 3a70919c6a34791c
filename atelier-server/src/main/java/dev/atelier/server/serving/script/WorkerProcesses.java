package dev.atelier.server.serving.script;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops worker processes and everything they started, all at once (as {@code jobs.ProcessTree} does for one job):
 * descendants are listed before anything is signalled (an orphan is re-parented and no longer found), all are asked
 * to terminate, and what still lives after the grace period is killed.
 */
final class WorkerProcesses {
    static final long GRACE_MILLIS = 2000;

    private WorkerProcesses() {
    }

    static void kill(Collection<Process> processes) {
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process process : processes) {
            tree.add(process.toHandle());
            process.toHandle().descendants().forEach(tree::add);
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        try {
            for (Process process : processes) {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (Process process : processes) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
