package dev.atelier.api;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of Atelier's wire protocol: an {@link ErrorCode} and a message meant for
 * the person who sent the request. The server maps it to {@code {"error_code", "message"}} in
 * exactly one place; the SDK throws it when the server answers with such a body.
 */
public final class AtelierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public AtelierException(ErrorCode errorCode, String message) {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public AtelierException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return errorCode.httpStatus();
    }

    public static AtelierException invalidParameter(String message) {
        return new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static AtelierException notFound(String message) {
        return new AtelierException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static AtelierException alreadyExists(String message) {
        return new AtelierException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }

    public static AtelierException invalidState(String message) {
        return new AtelierException(ErrorCode.INVALID_STATE, message);
    }
}
