package dev.atelier.server.http;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells an outage of what the server depends on (the database, the artifact store) from a fault of the server: a
 * request that failed because PostgreSQL restarts, or the S3 endpoint cannot be reached, is answered 503
 * {@code TEMPORARILY_UNAVAILABLE} with {@code Retry-After}, which clients retry, instead of 500, which they report.
 * The cause chain decides: a {@link SQLException} whose SQLSTATE is of class 08 (connection exception) or 57P01–57P03
 * (the server shuts down, or is starting), a connection pool that found no free connection in time (every one busy),
 * or a network failure to connect. Stateless; thread-safe.
 */
public final class BackendUnavailable {
    /** Seconds a client should wait before retrying: a database restart or a short network outage. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");
    private static final int MAX_DEPTH = 32;

    private BackendUnavailable() {
    }

    /** What is unavailable, in words for the client, when {@code failure} is an outage; empty when it is not. */
    public static Optional<String> of(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql && connectionLost(sql)) {
                return Optional.of("The database cannot be reached right now; retry shortly");
            }
            if (cause instanceof SQLTransientConnectionException) {
                // The pool timed out with no connection failure behind it: every connection was in use.
                return Optional.of("The server is busy: no database connection was free in time; retry shortly");
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof HttpConnectTimeoutException || cause instanceof SocketTimeoutException) {
                return Optional.of("A storage service this server uses cannot be reached right now; retry shortly");
            }
        }
        return Optional.empty();
    }

    private static boolean connectionLost(SQLException failure) {
        for (SQLException next = failure; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && (state.startsWith("08") || SHUTDOWN_STATES.contains(state))) {
                return true;
            }
            if (next.getNextException() == next) {
                break;
            }
        }
        return false;
    }
}
