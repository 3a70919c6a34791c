package dev.atelier.server.serving;

/**
 * A scoring request that could not be answered by its deployment, with the HTTP status and error
 * code to answer: the payload is too large (413), too many requests are waiting (429), the deployment
 * took too long (408, as Azure ML answers), or the model failed (500, with the request id to find it
 * in the server log).
 */
final class ScoringFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String errorCode;

    private ScoringFailure(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    static ScoringFailure payloadTooLarge(long size, long limit) {
        return new ScoringFailure(413, "RESOURCE_LIMIT_EXCEEDED", "The request body of " + size + " bytes is larger than the "
                + "deployment's request_settings.max_payload_bytes (" + limit + ")");
    }

    static ScoringFailure tooManyRequests(String deployment, int slots) {
        return new ScoringFailure(429, "REQUEST_LIMIT_EXCEEDED", "Deployment '" + deployment + "' is already serving " + slots
                + " requests (max_concurrent_requests_per_instance x instance_count) and none ended within the request timeout");
    }

    static ScoringFailure timedOut(String deployment, int timeoutMs) {
        return new ScoringFailure(408, "REQUEST_TIMEOUT", "Deployment '" + deployment + "' did not answer within its "
                + "request_timeout_ms (" + timeoutMs + " ms)");
    }

    static ScoringFailure modelError(String deployment, String requestId, Throwable cause) {
        String detail = cause == null || cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage());
        return new ScoringFailure(500, "MODEL_ERROR", "The model of deployment '" + deployment + "' failed on request " + requestId
                + detail + " (the server log has the details)");
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}
