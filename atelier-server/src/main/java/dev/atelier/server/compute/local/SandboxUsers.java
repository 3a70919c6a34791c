package dev.atelier.server.compute.local;

import java.util.BitSet;

/**
 * The user ids of sandboxed workloads when the server runs as root: each running workload gets one of its own, from
 * {@value #FIRST} up ({@value #COUNT} of them; ids that name no account on a usual host), so that
 * {@code RLIMIT_NPROC}, signals and file ownership never cross workloads. An id is handed out again only after its
 * workload ended. Thread-safe.
 */
final class SandboxUsers {
    static final int FIRST = 2_000_000_000;
    static final int COUNT = 65_536;

    private final BitSet taken = new BitSet(COUNT);

    /** @throws IllegalStateException when every id is taken (more than {@value #COUNT} workloads at once) */
    synchronized int take() {
        int free = taken.nextClearBit(0);
        if (free >= COUNT) {
            throw new IllegalStateException("More than " + COUNT + " local workloads run at once");
        }
        taken.set(free);
        return FIRST + free;
    }

    synchronized void release(int uid) {
        taken.clear(uid - FIRST);
    }
}
