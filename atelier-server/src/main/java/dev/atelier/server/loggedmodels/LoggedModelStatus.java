package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;

/** MLflow 3's {@code LoggedModelStatus}: PENDING while its files upload, then READY or UPLOAD_FAILED. */
public enum LoggedModelStatus {
    LOGGED_MODEL_STATUS_UNSPECIFIED,
    LOGGED_MODEL_PENDING,
    LOGGED_MODEL_READY,
    LOGGED_MODEL_UPLOAD_FAILED;

    /** @throws AtelierException INVALID_PARAMETER_VALUE naming {@code field} for a name that is none of these */
    public static LoggedModelStatus parse(String field, String text) {
        for (LoggedModelStatus status : values()) {
            if (status.name().equals(text)) {
                return status;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + text + "' for parameter '" + field + "': expected one of "
                + "LOGGED_MODEL_PENDING, LOGGED_MODEL_READY, LOGGED_MODEL_UPLOAD_FAILED");
    }
}
