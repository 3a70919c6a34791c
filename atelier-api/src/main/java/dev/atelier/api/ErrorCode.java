package dev.atelier.api;

/**
 * Error codes of the wire protocol, named as MLflow names them (mlflow/protos/databricks.proto)
 * and carrying the HTTP status MLflow answers with (mlflow/exceptions.py). Clients choose their
 * exception class from the name, so the names must not change.
 */
public enum ErrorCode {
    INTERNAL_ERROR(500),
    TEMPORARILY_UNAVAILABLE(503),
    /** An operation the configured backend lacks, such as multipart upload on local artifact storage. */
    NOT_IMPLEMENTED(501),
    BAD_REQUEST(400),
    INVALID_PARAMETER_VALUE(400),
    ENDPOINT_NOT_FOUND(404),
    RESOURCE_DOES_NOT_EXIST(404),
    /** MLflow answers 400, not 409, for a duplicate; its clients depend on it. */
    RESOURCE_ALREADY_EXISTS(400),
    RESOURCE_CONFLICT(409),
    INVALID_STATE(400),
    RESOURCE_LIMIT_EXCEEDED(400),
    REQUEST_LIMIT_EXCEEDED(429),
    /** A request body over a route's size limit (MLflow has no name for it; its clients see the 413). */
    PAYLOAD_TOO_LARGE(413),
    /** A body of a media type the route does not take, such as text/plain sent to a JSON API (a web page's "simple" request). */
    UNSUPPORTED_MEDIA_TYPE(415),
    PERMISSION_DENIED(403),
    UNAUTHENTICATED(401),
    /** An upload that would take a workspace over its upload quota (docs/security.md, "Upload limits"). Not an MLflow code. */
    QUOTA_EXCEEDED(413),
    /** The server's disk is full: nothing of the request was stored. Not an MLflow code. */
    INSUFFICIENT_STORAGE(507),
    /** A resource that existed and was removed when it expired, such as an unfinished upload session. Not an MLflow code. */
    RESOURCE_EXPIRED(410);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
