package dev.atelier.server.jobs;

import com.fasterxml.jackson.annotation.JsonValue;

/** Kinds of jobs, named as Azure ML CLI v2's {@code type} field names them. */
public enum JobType {
    COMMAND("command"),
    SWEEP("sweep"),
    PIPELINE("pipeline"),
    /** An AutoML search run as one workload (docs/automl.md). */
    AUTOML("automl"),
    /** A batch endpoint's scoring of a data input (batch/, docs/batch-endpoints.md). */
    BATCH_SCORING("batch_scoring");

    private final String wireName;

    JobType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static JobType parse(String wireName) {
        for (JobType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown job type: " + wireName);
    }
}
