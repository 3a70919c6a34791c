package dev.atelier.server.compute;

import java.util.List;
import java.util.Optional;

/** The compute targets a workspace created (not the built-in {@code local}). Implementations are thread-safe. */
public interface ComputeStore {
    /** Inserts a target; false when the name is taken. */
    boolean create(String workspace, ComputeTarget target);

    /** Replaces a target's fields; false when there is no such target. */
    boolean update(String workspace, ComputeTarget target);

    boolean delete(String workspace, String name);

    List<ComputeTarget> list(String workspace);

    Optional<ComputeTarget> get(String workspace, String name);
}
