package dev.atelier.server.audit;

import static java.util.Objects.requireNonNull;

/**
 * One entry of the audit log, as stored and as answered on the API.
 *
 * @param id            a random UUID; with {@code time} it orders events
 * @param time          when the action completed, epoch milliseconds
 * @param principal     the user name, {@code anonymous} when the caller was not authenticated, or the
 *                      component that acted (such as {@code system} for a job resolving a secret)
 * @param workspace     the workspace the action addressed; null (left out of the JSON) for server-wide routes
 * @param action        {@code METHOD route-template}, such as {@code POST /api/v1/secrets}
 * @param target        the request path, or what the action touched when it was not a request
 * @param outcome       allowed, denied or failed
 * @param status        the HTTP status answered
 * @param clientAddress the client's IP address; empty text when the action came from inside the server
 */
public record AuditEvent(String id, long time, String principal, String workspace, String action, String target,
                         AuditOutcome outcome, int status, String clientAddress) {
    public AuditEvent {
        requireNonNull(id, "id is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(clientAddress, "clientAddress is null");
    }
}
