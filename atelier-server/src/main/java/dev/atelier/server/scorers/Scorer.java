package dev.atelier.server.scorers;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One version of an MLflow 3 registered scorer (service.proto: Scorer): a name in an experiment, with the id all its
 * versions share, and the serialized scorer the client registered (JSON text kept as sent; the server never runs it).
 */
public record Scorer(String experimentId, String name, int version, String serializedScorer, long creationTimeMs, String scorerId) {
    public Scorer {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(serializedScorer, "serializedScorer is null");
        requireNonNull(scorerId, "scorerId is null");
    }

    /** The Scorer message: experiment_id is an int32 there, so a JSON number. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment_id", Long.parseLong(experimentId));
        json.put("scorer_name", name);
        json.put("scorer_version", version);
        json.put("serialized_scorer", serializedScorer);
        json.put("creation_time", creationTimeMs);
        json.put("scorer_id", scorerId);
        return json;
    }
}
