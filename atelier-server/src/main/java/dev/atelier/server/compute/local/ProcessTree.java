package dev.atelier.server.compute.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops processes and everything they started, all at once. The descendants are listed before anything is signalled
 * (a child whose parent died is re-parented and would no longer be found), asked to terminate (SIGTERM), and what
 * still lives after {@value #GRACE_MILLIS} ms is killed. The one process-tree killer of every local workload.
 */
public final class ProcessTree {
    public static final long GRACE_MILLIS = 2000;

    private ProcessTree() {
    }

    public static void kill(Process process) {
        kill(List.of(process));
    }

    public static void kill(Collection<Process> processes) {
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
