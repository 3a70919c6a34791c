package dev.atelier.server.registry;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a version's registration: the pending copy into registry storage, its lease, and
 * how it ends. A lease ({@code claimed_until}) says until when one server is copying; an expired
 * lease lets any server take the copy over, so a copy interrupted by a crash is finished or failed
 * by the next server that looks, never left pending.
 */
final class RegistrationRows {
    private static final String PENDING_VERSION = "workspace = :workspace AND name = :name AND version = :version AND status = '"
            + ModelVersion.PENDING_REGISTRATION + "'";

    private RegistrationRows() {
    }

    static void insertPending(Handle handle, String workspace, String name, long version, String copySource, String storageLocation,
                              String claimOwner, long claimedUntil) {
        handle.createUpdate("""
                        UPDATE model_versions SET status = :status, copy_source = :copySource, storage_location = :storage,
                               claim_owner = :owner, claimed_until = :claimedUntil
                        WHERE workspace = :workspace AND name = :name AND version = :version
                        """)
                .bind("workspace", workspace).bind("name", name).bind("version", version)
                .bind("status", ModelVersion.PENDING_REGISTRATION).bind("copySource", copySource).bind("storage", storageLocation)
                .bind("owner", claimOwner).bind("claimedUntil", claimedUntil)
                .execute();
    }

    /** Ends the registration, for the holder of its claim only. */
    static boolean finish(Handle handle, String workspace, String name, long version, String claimOwner, String status, String message,
                          long time) {
        return handle.createUpdate("""
                        UPDATE model_versions SET status = :status, status_message = :message, copy_source = NULL, claimed_until = NULL,
                               claim_owner = NULL, last_update_time = :time
                        WHERE %s AND claim_owner = :owner
                        """.formatted(PENDING_VERSION))
                .bind("workspace", workspace).bind("name", name).bind("version", version).bind("owner", claimOwner)
                .bind("status", status).bind("message", message).bind("time", time)
                .execute() == 1;
    }

    /** Extends the claim's lease, for its holder only. */
    static boolean renew(Handle handle, String workspace, String name, long version, String claimOwner, long claimedUntil) {
        return handle.createUpdate("UPDATE model_versions SET claimed_until = :claimedUntil WHERE " + PENDING_VERSION
                        + " AND claim_owner = :owner")
                .bind("workspace", workspace).bind("name", name).bind("version", version).bind("owner", claimOwner)
                .bind("claimedUntil", claimedUntil)
                .execute() == 1;
    }

    /**
     * Claims up to {@code limit} pending copies whose lease ended before {@code now}; each is claimed by one server only,
     * under a new claim token and into a new storage folder (the abandoned one is named in the answer, to delete).
     */
    static List<PendingCopy> claimExpired(Handle handle, long now, long claimedUntil, int limit) {
        List<PendingCopy> candidates = handle.createQuery("""
                        SELECT workspace, name, version, copy_source, storage_location, claim_owner FROM model_versions
                        WHERE status = :status AND (claimed_until IS NULL OR claimed_until < :now)
                        ORDER BY creation_time LIMIT :limit
                        """)
                .bind("status", ModelVersion.PENDING_REGISTRATION).bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new PendingCopy(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getString(4) == null ? "" : rs.getString(4), RegistryStorage.newLocation(),
                        rs.getString(6) == null ? "" : rs.getString(6), rs.getString(5)))
                .list();
        List<PendingCopy> claimed = new ArrayList<>();
        for (PendingCopy candidate : candidates) {
            PendingCopy copy = new PendingCopy(candidate.workspace(), candidate.name(), candidate.version(), candidate.copySource(),
                    candidate.storageLocation(), PendingCopy.newClaimOwner(), candidate.abandonedLocation());
            int updated = handle.createUpdate("""
                            UPDATE model_versions SET claimed_until = :claimedUntil, claim_owner = :owner, storage_location = :storage
                            WHERE %s AND (claimed_until IS NULL OR claimed_until < :now)
                              AND (claim_owner = :previousOwner OR claim_owner IS NULL)
                            """.formatted(PENDING_VERSION))
                    .bind("workspace", copy.workspace()).bind("name", copy.name()).bind("version", copy.version())
                    .bind("claimedUntil", claimedUntil).bind("now", now).bind("owner", copy.claimOwner())
                    .bind("storage", copy.storageLocation()).bind("previousOwner", candidate.claimOwner())
                    .execute();
            if (updated == 1) {
                claimed.add(copy);
            }
        }
        return claimed;
    }

    /** The registry folders of a model's versions. */
    static List<String> storageLocations(Handle handle, String workspace, String name) {
        return handle.createQuery("""
                        SELECT storage_location FROM model_versions
                        WHERE workspace = :workspace AND name = :name AND storage_location IS NOT NULL
                        """)
                .bind("workspace", workspace).bind("name", name)
                .mapTo(String.class)
                .list();
    }
}
