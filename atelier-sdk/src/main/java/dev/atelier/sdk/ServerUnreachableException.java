package dev.atelier.sdk;

import static java.util.Objects.requireNonNull;

/**
 * The server could not be reached at all: the connection was refused, the host is unknown, the
 * connection timed out or broke before an answer arrived. Distinct from
 * {@link dev.atelier.api.AtelierException}, which means the server answered with an error.
 */
public final class ServerUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String url;

    public ServerUnreachableException(String url, String reason, Throwable cause) {
        super("The Atelier server at " + requireNonNull(url, "url is null") + " is not reachable: "
                + requireNonNull(reason, "reason is null"), cause);
        this.url = url;
    }

    /** The base URL the client was pointed at. */
    public String url() {
        return url;
    }
}
