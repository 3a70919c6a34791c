package dev.atelier.server.tracking;

import static java.util.Objects.requireNonNull;

/** A key and a value: MLflow's Param, RunTag, ExperimentTag and InputTag share this shape. */
public record KeyValue(String key, String value) {
    public KeyValue {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
