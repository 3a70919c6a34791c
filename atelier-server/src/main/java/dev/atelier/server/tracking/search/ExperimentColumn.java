package dev.atelier.server.tracking.search;

/** The experiment attributes MLflow's experiments/search can filter or order by, with their column. */
enum ExperimentColumn {
    NAME("name"),
    EXPERIMENT_ID("experiment_id"),
    CREATION_TIME("creation_time"),
    LAST_UPDATE_TIME("last_update_time");

    private final String key;

    ExperimentColumn(String key) {
        this.key = key;
    }

    /** The attribute's name in a filter or order_by, which is also its column of table experiments. */
    String key() {
        return key;
    }
}
