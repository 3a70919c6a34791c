package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One entry of the audit log.
 *
 * @param action  {@code METHOD route-template}, such as {@code DELETE /api/v1/secrets/{name}}
 * @param target  the request path
 * @param outcome {@code allowed}, {@code denied} or {@code failed}
 * @param status  the HTTP status of the answer
 * @param json    the event exactly as the server sent it
 */
public record AuditEvent(Optional<Instant> time, String principal, String workspace, String action, String target, String outcome,
                         int status, String clientAddress, JsonNode json) {
    public AuditEvent {
        requireNonNull(time, "time is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(clientAddress, "clientAddress is null");
        requireNonNull(json, "json is null");
    }

    static AuditEvent fromJson(JsonNode node) {
        return new AuditEvent(JsonFields.instant(node, "time"), JsonFields.text(node, "principal"), JsonFields.text(node, "workspace"),
                JsonFields.text(node, "action"), JsonFields.text(node, "target"), JsonFields.text(node, "outcome"),
                (int) JsonFields.longValue(node, "status"), JsonFields.text(node, "client_address"), node);
    }
}
