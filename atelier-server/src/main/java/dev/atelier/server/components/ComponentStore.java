package dev.atelier.server.components;

import java.util.List;
import java.util.Optional;

/**
 * Registered component versions per workspace. A version is written once and never changes, except its archived flag.
 * A name's versions are ordered by registration (a sequence number per name): "latest" is the one registered last, not
 * the largest version string. Implementations are thread-safe.
 */
interface ComponentStore {
    /**
     * Writes a version, not archived. With {@code generateVersion} its version is chosen in the same transaction as the
     * next integer of its name (one more than the largest version that is an integer, 1 for the first) and the
     * component's own version is ignored; a concurrent writer that took the same number makes this choose again.
     *
     * @return the component as written (with the version chosen); empty, with nothing written, when the name already has
     *         the component's version (only without {@code generateVersion})
     */
    Optional<Component> create(Component component, boolean generateVersion);

    /** One version, archived or not. */
    Optional<Component> get(String workspace, String name, String version);

    /** The version of {@code name} registered last, skipping archived ones unless {@code includeArchived}. */
    Optional<Component> latest(String workspace, String name, boolean includeArchived);

    /** The latest version of every component, by name ({@link #latest} of each name that has one). */
    List<Component> listLatest(String workspace, boolean includeArchived);

    /** Every version of one component, archived ones too, the last registered first; empty when there is none. */
    List<Component> versions(String workspace, String name);

    /**
     * Sets the archived flag of one version, or of every version of the name when {@code version} is empty.
     *
     * @return how many versions exist that it applies to (0 when none)
     */
    int setArchived(String workspace, String name, Optional<String> version, boolean archived);
}
