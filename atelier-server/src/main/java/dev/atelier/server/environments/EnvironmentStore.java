package dev.atelier.server.environments;

import java.util.List;
import java.util.Optional;

/** Versions of environments per workspace. Implementations are thread-safe. */
public interface EnvironmentStore {
    /**
     * Stores {@code environment} under its version, or the next version of its name when its version is 0, and returns
     * it with that version; empty when the version it names exists.
     */
    Optional<Environment> createVersion(String workspace, Environment environment);

    /** The latest version of every environment, by name. */
    List<Environment> listLatest(String workspace);

    /** Every version of one environment, newest first; empty when there is none. */
    List<Environment> listVersions(String workspace, String name);

    /** Every version of every environment in every workspace. */
    List<Environment> listAll();

    /** One version, or the latest when {@code version} is empty. */
    Optional<Environment> get(String workspace, String name, Optional<Integer> version);
}
