package dev.atelier.server.scorers;

import dev.atelier.api.AtelierException;
import dev.atelier.server.tracking.TrackingService;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's registered scorers (service.proto: RegisterScorer, ListScorers, ListScorerVersions, GetScorer,
 * DeleteScorer), as MLflow's SQL store keeps them: registering a name again adds a version; the experiment must exist
 * (RESOURCE_DOES_NOT_EXIST); a missing scorer or version is RESOURCE_DOES_NOT_EXIST. Thread-safe.
 */
public final class ScorerService {
    /** MLflow's limit on a scorer name (its scorers table). */
    public static final int MAX_NAME_LENGTH = 256;

    private final ScorerStore store;
    private final TrackingService tracking;
    private final Clock clock;

    public ScorerService(ScorerStore store, TrackingService tracking, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * RegisterScorer: the next version of {@code name} in the experiment.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for an empty or too long name or an empty serialized scorer
     */
    public Scorer register(String workspace, String experimentId, String name, String serializedScorer) {
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'name': a scorer name is 1 to " + MAX_NAME_LENGTH
                    + " characters");
        }
        if (serializedScorer.isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'serialized_scorer'");
        }
        return store.register(workspace, experiment(workspace, experimentId), name, serializedScorer, clock.millis(),
                UUID.randomUUID().toString());
    }

    /** ListScorers: the latest version of each scorer of these experiments (each must exist). */
    public List<Scorer> list(String workspace, List<String> experimentIds) {
        return store.latest(workspace, experimentIds.stream().map(id -> experiment(workspace, id)).toList());
    }

    /** ListScorerVersions: every version, oldest first. */
    public List<Scorer> versions(String workspace, String experimentId, String name) {
        List<Scorer> versions = store.versions(workspace, experiment(workspace, experimentId), name);
        if (versions.isEmpty()) {
            throw notFound(experimentId, name);
        }
        return versions;
    }

    /** GetScorer: one version, or the latest. */
    public Scorer get(String workspace, String experimentId, String name, Optional<Integer> version) {
        List<Scorer> versions = versions(workspace, experimentId, name);
        if (version.isEmpty()) {
            return versions.getLast();
        }
        return versions.stream().filter(scorer -> scorer.version() == version.get()).findFirst()
                .orElseThrow(() -> AtelierException.notFound("Scorer with name '" + name + "' and version " + version.get()
                        + " not found for experiment " + experimentId + "."));
    }

    /** DeleteScorer: one version, or every version. */
    public void delete(String workspace, String experimentId, String name, Optional<Integer> version) {
        if (store.delete(workspace, experiment(workspace, experimentId), name, version.orElse(null)) == 0) {
            throw version.isEmpty() ? notFound(experimentId, name) : AtelierException.notFound("Scorer with name '" + name
                    + "' and version " + version.get() + " not found for experiment " + experimentId + ".");
        }
    }

    private long experiment(String workspace, String experimentId) {
        return Long.parseLong(tracking.getExperiment(workspace, experimentId).experimentId());
    }

    private static AtelierException notFound(String experimentId, String name) {
        return AtelierException.notFound("Scorer with name '" + name + "' not found for experiment " + experimentId + ".");
    }
}
