package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;

import java.util.List;
import java.util.Optional;

/**
 * Storage of the model registry, per workspace. Methods that change a model or version return
 * false when it does not exist, so that the service can answer MLflow's not-found errors.
 */
public interface RegistryStore {
    /** Creates a model; throws RESOURCE_ALREADY_EXISTS when the name is taken. */
    RegisteredModel createRegisteredModel(String workspace, String name, Optional<String> description, List<KeyValue> tags, long time);

    Optional<RegisteredModel> getRegisteredModel(String workspace, String name);

    /** Renames a model with its versions, tags and aliases; throws RESOURCE_ALREADY_EXISTS when {@code newName} is taken. */
    boolean renameRegisteredModel(String workspace, String name, String newName, long time);

    boolean updateRegisteredModelDescription(String workspace, String name, String description, long time);

    boolean deleteRegisteredModel(String workspace, String name);

    /** One page of models, plus one more when there are more ({@code limit + 1} pattern). */
    List<RegisteredModel> searchRegisteredModels(String workspace, RegistryFilter filter, String orderBy, int offset, int limit);

    boolean setRegisteredModelTag(String workspace, String name, KeyValue tag);

    boolean deleteRegisteredModelTag(String workspace, String name, String key);

    /** Points {@code alias} at a version; false when the version does not exist. */
    boolean setAlias(String workspace, String name, String alias, long version);

    boolean deleteAlias(String workspace, String name, String alias);

    Optional<Long> aliasVersion(String workspace, String name, String alias);

    /**
     * Creates the model's next version in PENDING_REGISTRATION, to be filled by copying
     * {@code copySource} into {@code storageLocation} under a claim held by {@code claimOwner} with a lease that ends at
     * {@code claimedUntil}; empty when the model does not exist.
     */
    Optional<ModelVersion> createModelVersion(String workspace, NewModelVersion version, String copySource, String storageLocation,
                                              String claimOwner, long claimedUntil, long time);

    /** Creates the model's next version READY with no files to copy (a prompt); empty when the model does not exist. */
    Optional<ModelVersion> createModelVersionWithoutFiles(String workspace, NewModelVersion version, long time);

    /**
     * Ends a pending registration as READY, or FAILED_REGISTRATION with {@code statusMessage}, for the holder of its
     * claim; false when the version is gone, no longer pending, or claimed by another ({@code claimOwner} lost it).
     */
    boolean finishRegistration(String workspace, String name, long version, String claimOwner, String status, String statusMessage,
                               long time);

    /**
     * Extends the lease of a pending copy (0 releases it), for the holder of its claim; false when the version is no
     * longer pending or another server took the copy over.
     */
    boolean renewClaim(String workspace, String name, long version, String claimOwner, long claimedUntil);

    /**
     * Claims, in every workspace, up to {@code limit} pending copies whose lease ended before {@code now}: each under a new
     * claim token and into a new storage folder.
     */
    List<PendingCopy> claimExpiredCopies(long now, long claimedUntil, int limit);

    /**
     * The database's clock (epoch milliseconds): copy leases are set and compared on it, so servers whose clocks differ
     * agree on when one runs out (as job leases do).
     */
    long databaseTime();

    /** The registry storage folders of a model's versions. */
    List<String> storageLocations(String workspace, String name);

    Optional<ModelVersion> getModelVersion(String workspace, String name, long version);

    boolean updateModelVersionDescription(String workspace, String name, long version, String description, long time);

    /** Moves a version to {@code stage}; with {@code archiveExisting}, other versions in that stage go to Archived. */
    boolean transitionStage(String workspace, String name, long version, ModelStage stage, boolean archiveExisting, long time);

    /** Deletes a version and the aliases that point at it (its storage location is forgotten); its number is not given again. */
    boolean deleteModelVersion(String workspace, String name, long version, long time);

    /** One page of versions, plus one more when there are more; without aliases. */
    List<ModelVersion> searchModelVersions(String workspace, RegistryFilter filter, String orderBy, int offset, int limit);

    /** Every live version of a model, newest first, with aliases. */
    List<ModelVersion> listModelVersions(String workspace, String name);

    boolean setModelVersionTag(String workspace, String name, long version, KeyValue tag);

    boolean deleteModelVersionTag(String workspace, String name, long version, String key);

    /** Whether the workspace has any registered model (a workspace delete without force keeps it). */
    boolean holdsData(String workspace);
}
