package dev.atelier.server.designer;

import static java.util.Objects.requireNonNull;

/** A draft in a list: who owns it, its newest version and when it was last saved. */
public record DraftSummary(String id, String name, String owner, int latestVersion, long createdAt, long updatedAt) {
    public DraftSummary {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
    }
}
