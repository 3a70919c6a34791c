package dev.atelier.server.audit;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A filter over the audit log; events come newest first.
 *
 * @param workspace  only events of this workspace
 * @param principal  only events of this principal
 * @param since      only events at or after this time (epoch ms)
 * @param until      only events before this time (epoch ms)
 * @param maxResults page size, 1 to {@link #MAX_RESULTS}
 * @param after      continue after this position (from the previous page's token)
 */
public record AuditQuery(Optional<String> workspace, Optional<String> principal, Optional<Long> since, Optional<Long> until,
                         int maxResults, Optional<AuditPageToken> after) {
    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final int MAX_RESULTS = 1000;

    public AuditQuery {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(since, "since is null");
        requireNonNull(until, "until is null");
        requireNonNull(after, "after is null");
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw new IllegalArgumentException("maxResults must be between 1 and " + MAX_RESULTS + ": " + maxResults);
        }
    }
}
