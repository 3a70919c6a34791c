package dev.atelier.server.tracking;

import dev.atelier.api.AtelierException;

/** MLflow's run statuses (service.proto RunStatus). */
public enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED;

    /** Parses a status name; an unknown one is INVALID_PARAMETER_VALUE naming the allowed values. */
    public static RunStatus parse(String name) {
        for (RunStatus status : values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'status': expected one of "
                + "RUNNING, SCHEDULED, FINISHED, FAILED, KILLED");
    }
}
