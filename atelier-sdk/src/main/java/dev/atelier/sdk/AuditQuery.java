package dev.atelier.sdk;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which audit events to read. Times travel as ISO-8601 instants ({@code 2025-01-31T12:00:00Z}).
 *
 * @param workspace only for the server-wide log: narrow it to one workspace
 */
public record AuditQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> principal, Optional<String> workspace) {
    public static final AuditQuery ALL = new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public AuditQuery {
        requireNonNull(since, "since is null");
        requireNonNull(until, "until is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(workspace, "workspace is null");
    }

    public AuditQuery withSince(Instant time) {
        return new AuditQuery(Optional.of(time), until, principal, workspace);
    }

    public AuditQuery withUntil(Instant time) {
        return new AuditQuery(since, Optional.of(time), principal, workspace);
    }

    public AuditQuery withPrincipal(String username) {
        return new AuditQuery(since, until, Optional.of(username), workspace);
    }

    public AuditQuery withWorkspace(String name) {
        return new AuditQuery(since, until, principal, Optional.of(name));
    }
}
