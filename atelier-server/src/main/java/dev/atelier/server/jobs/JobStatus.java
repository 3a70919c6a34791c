package dev.atelier.server.jobs;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.atelier.server.tracking.RunStatus;

/** The lifecycle of a job: Queued → Preparing → Running → Completed | Failed | Canceled. */
public enum JobStatus {
    QUEUED("Queued"),
    PREPARING("Preparing"),
    RUNNING("Running"),
    COMPLETED("Completed"),
    FAILED("Failed"),
    CANCELED("Canceled");

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return switch (this) {
            case QUEUED, PREPARING, RUNNING -> false;
            case COMPLETED, FAILED, CANCELED -> true;
        };
    }

    /** The status of the job's MLflow run. */
    public RunStatus runStatus() {
        return switch (this) {
            case QUEUED, PREPARING -> RunStatus.SCHEDULED;
            case RUNNING -> RunStatus.RUNNING;
            case COMPLETED -> RunStatus.FINISHED;
            case FAILED -> RunStatus.FAILED;
            case CANCELED -> RunStatus.KILLED;
        };
    }

    static JobStatus parse(String wireName) {
        for (JobStatus status : values()) {
            if (status.wireName.equals(wireName)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown job status: " + wireName);
    }
}
