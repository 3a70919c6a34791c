package dev.atelier.sdk;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One page of audit events and the token of the next page, if there is one. */
public record AuditPage(List<AuditEvent> events, Optional<String> nextPageToken) {
    public AuditPage {
        events = List.copyOf(requireNonNull(events, "events is null"));
        requireNonNull(nextPageToken, "nextPageToken is null");
    }
}
