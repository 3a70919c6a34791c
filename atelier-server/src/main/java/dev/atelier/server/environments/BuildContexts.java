package dev.atelier.server.environments;

import java.util.Optional;
import java.util.Set;

/**
 * The files of a workspace's code snapshots, as far as an environment's {@code build} needs them: the paths of one
 * snapshot, or empty when the workspace has no such snapshot. Implementations are thread-safe.
 */
@FunctionalInterface
public interface BuildContexts {
    /** A server without snapshots: every build context is unknown. */
    BuildContexts NONE = (workspace, snapshotId) -> Optional.empty();

    Optional<Set<String>> files(String workspace, String snapshotId);
}
