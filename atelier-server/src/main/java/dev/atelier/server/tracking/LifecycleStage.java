package dev.atelier.server.tracking;

/** MLflow's lifecycle stages of experiments and runs; deletion is soft until garbage collection. */
public final class LifecycleStage {
    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    private LifecycleStage() {
    }
}
