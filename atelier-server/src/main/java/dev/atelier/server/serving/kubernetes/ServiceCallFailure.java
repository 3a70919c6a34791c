package dev.atelier.server.serving.kubernetes;

/**
 * A scoring call that a deployment's pods did not answer well: an HTTP status other than 2xx or 4xx, or no answer
 * (connection refused, timed out). The endpoint router answers it as a model error (5xx with the request id).
 */
public final class ServiceCallFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServiceCallFailure(String message) {
        super(message);
    }

    public ServiceCallFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
