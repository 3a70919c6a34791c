package dev.atelier.sdk;

/** Which lifecycle stages a search returns, as MLflow's {@code ViewType} names them. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL
}
