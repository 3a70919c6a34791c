package dev.atelier.server.registry;

import static java.util.Objects.requireNonNull;

/**
 * A model version whose files are being copied into registry storage, by the holder of one claim.
 *
 * @param copySource        the folder (or file) copied, relative to the workspace's artifact root
 * @param storageLocation   the registry folder receiving the copy, relative to the same root; a new one per claim, so
 *                          that a holder that lost its claim never writes into the folder of the one that took it over
 * @param claimOwner        the claim's token: renewing the lease and ending the registration are conditional on it
 * @param abandonedLocation the folder of the copy this claim took over, to delete; null for a first claim
 */
record PendingCopy(String workspace, String name, long version, String copySource, String storageLocation, String claimOwner,
                   String abandonedLocation) {
    PendingCopy {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(name, "name is null");
        requireNonNull(copySource, "copySource is null");
        requireNonNull(storageLocation, "storageLocation is null");
        requireNonNull(claimOwner, "claimOwner is null");
    }

    /** A new claim's token. */
    static String newClaimOwner() {
        return java.util.UUID.randomUUID().toString();
    }
}
