package dev.atelier.server.scorers;

import java.util.List;

/** Where registered scorers are kept, per workspace and experiment. Implementations are thread-safe. */
public interface ScorerStore {
    /**
     * Adds a version of the scorer {@code name}: the next number after its highest (1 for a new name, which gets
     * {@code newScorerId}); returns it.
     */
    Scorer register(String workspace, long experimentId, String name, String serializedScorer, long creationTimeMs, String newScorerId);

    /** The latest version of each scorer of these experiments, by experiment and name. */
    List<Scorer> latest(String workspace, List<Long> experimentIds);

    /** Every version of a scorer, oldest first; empty when there is no such scorer. */
    List<Scorer> versions(String workspace, long experimentId, String name);

    /**
     * Deletes one version, or every version when {@code version} is null (a scorer left without versions is gone);
     * returns how many versions were deleted.
     */
    int delete(String workspace, long experimentId, String name, Integer version);
}
