package dev.atelier.server.jobs;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The status of a pipeline step: Queued (waiting for its inputs or for compute) → Running → Completed | Failed | Canceled;
 * Reused (an equal step's result taken instead of running); Skipped (downstream of a step that did not complete).
 */
public enum StepStatus {
    QUEUED("Queued"),
    RUNNING("Running"),
    COMPLETED("Completed"),
    REUSED("Reused"),
    FAILED("Failed"),
    CANCELED("Canceled"),
    SKIPPED("Skipped");

    private final String wireName;

    StepStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return switch (this) {
            case QUEUED, RUNNING -> false;
            case COMPLETED, REUSED, FAILED, CANCELED, SKIPPED -> true;
        };
    }

    /** Its outputs exist: the steps reading them may run. */
    public boolean succeeded() {
        return switch (this) {
            case COMPLETED, REUSED -> true;
            case QUEUED, RUNNING, FAILED, CANCELED, SKIPPED -> false;
        };
    }

    static StepStatus parse(String wireName) {
        for (StepStatus status : values()) {
            if (status.wireName.equals(wireName)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown step status: " + wireName);
    }
}
