package dev.atelier.server.jobs;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process and everything it started. The descendants are listed before anything is
 * signalled (a child whose parent died is re-parented and would no longer be found), asked to
 * terminate, and killed after a grace period.
 */
final class ProcessTree {
    static final long GRACE_MILLIS = 2000;

    private ProcessTree() {
    }

    static void kill(Process process) {
        List<ProcessHandle> tree = process.toHandle().descendants().toList();
        process.toHandle().destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
