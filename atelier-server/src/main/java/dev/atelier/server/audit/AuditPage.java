package dev.atelier.server.audit;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One page of audit events, newest first.
 *
 * @param nextPageToken the token of the next page; null on the last page (then left out of the JSON)
 */
public record AuditPage(List<AuditEvent> events, String nextPageToken) {
    public AuditPage {
        events = List.copyOf(requireNonNull(events, "events is null"));
    }
}
