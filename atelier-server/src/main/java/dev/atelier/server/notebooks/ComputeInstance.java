package dev.atelier.server.notebooks;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A compute instance as stored: a notebook server of one owner on one compute target.
 *
 * @param stateMessage why it failed, when it did
 * @param lastActivity epoch milliseconds of the last kernel, terminal or API activity seen (its start at first)
 */
public record ComputeInstance(String workspace, String name, String owner, String compute, InstanceDocument document,
                              InstanceState state, Optional<String> stateMessage, long lastActivity, String createdBy,
                              long createdAt, long updatedAt) {
    public ComputeInstance {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(compute, "compute is null");
        requireNonNull(document, "document is null");
        requireNonNull(state, "state is null");
        requireNonNull(stateMessage, "stateMessage is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    ComputeInstance withState(InstanceState newState, Optional<String> message, long at) {
        return new ComputeInstance(workspace, name, owner, compute, document, newState, message, lastActivity, createdBy, createdAt, at);
    }
}
