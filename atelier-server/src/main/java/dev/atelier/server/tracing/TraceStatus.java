package dev.atelier.server.tracing;

import dev.atelier.api.AtelierException;

/**
 * A trace's status: MLflow 2's {@code TraceStatus} and MLflow 3's {@code TraceInfoV3.State}, which name the same
 * four values except the unset one ({@code TRACE_STATUS_UNSPECIFIED} against {@code STATE_UNSPECIFIED}).
 */
public enum TraceStatus {
    TRACE_STATUS_UNSPECIFIED,
    OK,
    ERROR,
    IN_PROGRESS;

    /** The name MLflow 3 gives this value in {@code state}. */
    public String v3Name() {
        return this == TRACE_STATUS_UNSPECIFIED ? "STATE_UNSPECIFIED" : name();
    }

    /**
     * The status a request names, in either API's spelling.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming {@code field} for anything else
     */
    public static TraceStatus parse(String field, String text) {
        if (text.equals("STATE_UNSPECIFIED")) {
            return TRACE_STATUS_UNSPECIFIED;
        }
        for (TraceStatus status : values()) {
            if (status.name().equals(text)) {
                return status;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + text + "' for parameter '" + field
                + "': expected one of OK, ERROR, IN_PROGRESS, TRACE_STATUS_UNSPECIFIED");
    }
}
