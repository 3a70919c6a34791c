package dev.atelier.server.tracking;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** An experiment as MLflow's API shows it; components are in MLflow's field order. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        String lifecycleStage,
        long lastUpdateTime,
        long creationTime,
        List<KeyValue> tags) {

    public Experiment {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactLocation, "artifactLocation is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
        tags = List.copyOf(tags);
    }

    @JsonIgnore
    public boolean isActive() {
        return LifecycleStage.ACTIVE.equals(lifecycleStage);
    }
}
