package dev.atelier.server.http;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Who sent a request, as the authentication filter established it.
 *
 * @param username         the user's name; {@code local} when authentication is off
 * @param serverAdmin      whether the user administers the server (holds every permission)
 * @param tokenWorkspace   for an API token restricted to one workspace, that workspace
 * @param readOnly         for a read-only API token: only READ routes are allowed
 * @param method           how the credentials were presented
 */
public record Principal(String username, boolean serverAdmin, Optional<String> tokenWorkspace, boolean readOnly, Method method) {
    /** The single local user of a server running without authentication (loopback only). */
    public static final Principal LOCAL = new Principal("local", true, Optional.empty(), false, Method.NONE);

    public Principal {
        requireNonNull(username, "username is null");
        requireNonNull(tokenWorkspace, "tokenWorkspace is null");
        requireNonNull(method, "method is null");
    }

    /** How a principal authenticated. */
    public enum Method {
        /** Authentication is off. */
        NONE,
        /** No credentials were sent (only PUBLIC routes). */
        ANONYMOUS,
        /** {@code Authorization: Bearer <token>}. */
        BEARER_TOKEN,
        /** HTTP Basic with a password. */
        BASIC_PASSWORD,
        /** HTTP Basic with an API token as the password. */
        BASIC_TOKEN,
        /** The portal's session cookie. */
        SESSION
    }
}
