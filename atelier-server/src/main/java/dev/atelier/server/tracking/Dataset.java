package dev.atelier.server.tracking;

import static java.util.Objects.requireNonNull;

/** A dataset a run consumed (MLflow's Dataset message); schema and profile are optional JSON text. */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {
    public Dataset {
        requireNonNull(name, "name is null");
        requireNonNull(digest, "digest is null");
        requireNonNull(sourceType, "sourceType is null");
        requireNonNull(source, "source is null");
    }
}
