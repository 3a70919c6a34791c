package dev.atelier.server.registry;

import static java.util.Objects.requireNonNull;

/**
 * A model version whose files are being copied into registry storage.
 *
 * @param copySource      the folder (or file) copied, relative to the workspace's artifact root
 * @param storageLocation the registry folder receiving the copy, relative to the same root
 */
record PendingCopy(String workspace, String name, long version, String copySource, String storageLocation) {
    PendingCopy {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(name, "name is null");
        requireNonNull(copySource, "copySource is null");
        requireNonNull(storageLocation, "storageLocation is null");
    }
}
