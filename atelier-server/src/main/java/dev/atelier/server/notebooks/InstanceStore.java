package dev.atelier.server.notebooks;

import java.util.List;
import java.util.Optional;

/** Compute instances of every workspace. Implementations are thread-safe; each call is one transaction. */
public interface InstanceStore {
    /** @return false when the workspace already has an instance of that name */
    boolean create(ComputeInstance instance);

    Optional<ComputeInstance> get(String workspace, String name);

    /** The workspace's instances by name. */
    List<ComputeInstance> list(String workspace);

    /** Every instance of every workspace (the schedules and idle checks walk them). */
    List<ComputeInstance> listAll();

    /** @return false when it does not exist */
    boolean setState(String workspace, String name, InstanceState state, Optional<String> message, long at);

    /** Records activity at {@code at} when later than what is stored. */
    void recordActivity(String workspace, String name, long at);

    boolean delete(String workspace, String name);
}
