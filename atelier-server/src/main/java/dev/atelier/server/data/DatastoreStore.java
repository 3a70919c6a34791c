package dev.atelier.server.data;

import java.util.List;
import java.util.Optional;

/** Persistence of registered datastores (the default one is not stored: every workspace has it). */
public interface DatastoreStore {
    /** Inserts; false when the name is taken in the workspace. */
    boolean createDatastore(String workspace, Datastore datastore);

    Optional<Datastore> getDatastore(String workspace, String name);

    /** Sorted by name. */
    List<Datastore> listDatastores(String workspace);

    /** False when there was none. */
    boolean deleteDatastore(String workspace, String name);

    /** Removes every datastore of a deleted workspace. */
    void deleteWorkspace(String workspace);
}
