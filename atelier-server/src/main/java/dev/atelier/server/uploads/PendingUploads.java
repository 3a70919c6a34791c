package dev.atelier.server.uploads;

import java.util.Optional;

/**
 * A domain that holds bytes uploaded but not yet part of anything (data upload sessions, snapshot
 * blobs no snapshot refers to): they count against the workspace's upload quota and expire.
 * Implementations are thread-safe and their sweeps idempotent (several replicas may sweep at once).
 */
public interface PendingUploads {
    /** Bytes this domain holds for {@code workspace} that count against its upload quota. */
    long pendingBytes(String workspace);

    /**
     * Removes what expired: unfinished uploads last touched before {@code expiredBefore} (epoch ms).
     * {@code now} stamps what is marked expired. Only one workspace when {@code workspace} is present.
     */
    SweepReport sweep(Optional<String> workspace, long expiredBefore, long now);
}
