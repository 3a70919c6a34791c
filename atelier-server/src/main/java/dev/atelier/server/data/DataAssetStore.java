package dev.atelier.server.data;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Persistence of data asset versions and their lineage. Each call is one transaction. */
public interface DataAssetStore {
    /**
     * Inserts a version. With {@code requested} empty it takes the next number (numbers are never
     * reused, even after a delete); with a number it takes that one when it is above every number
     * handed out so far.
     *
     * @return the stored version, or empty when the requested number is taken or was used before
     */
    Optional<DataVersion> createVersion(String workspace, DataVersion version, OptionalInt requested);

    Optional<DataVersion> getVersion(String workspace, String name, int version);

    /** The highest version that is not archived. */
    Optional<DataVersion> latestVersion(String workspace, String name);

    /** Every version of one asset, newest first. */
    List<DataVersion> listVersions(String workspace, String name, boolean includeArchived);

    /** The latest version of every asset that has one (archived included when asked), by name. */
    List<DataVersion> listAssets(String workspace, boolean includeArchived);

    /** Whether any version (archived or not) points at the datastore. */
    boolean datastoreInUse(String workspace, String datastore);

    /** False when there is no such version. */
    boolean setArchived(String workspace, String name, int version, boolean archived);

    /** Deletes the version row; lineage records stay. False when there was none. */
    boolean deleteVersion(String workspace, String name, int version);

    /** Records a use; recording the same use twice keeps the first record. */
    void recordLineage(String workspace, LineageRecord record);

    /** The runs that read or produced one version, oldest record first. */
    List<LineageRecord> lineageOfVersion(String workspace, String name, int version);

    /** The data versions one run read or produced, oldest record first. */
    List<LineageRecord> lineageOfRuns(String workspace, List<String> runIds);

    /** Removes every asset, version and lineage record of a deleted workspace. */
    void deleteWorkspace(String workspace);
}
