package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.KeyValue;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

import static dev.atelier.server.registry.ModelVersionRows.DELETED_STAGE;
import static dev.atelier.server.registry.RegistryRows.LIVE_VERSION;
import static dev.atelier.server.registry.RegistryRows.load;
import static dev.atelier.server.registry.RegistryRows.loadVersion;
import static dev.atelier.server.registry.RegistryRows.modelExists;
import static dev.atelier.server.registry.RegistryRows.touchModel;
import static dev.atelier.server.registry.RegistryRows.upsertModelTag;
import static dev.atelier.server.registry.RegistryRows.upsertVersionTag;
import static dev.atelier.server.registry.RegistryRows.versionExists;
import static java.util.Objects.requireNonNull;

/** {@link RegistryStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcRegistryStore implements RegistryStore {
    private final Database database;

    public JdbcRegistryStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public RegisteredModel createRegisteredModel(String workspace, String name, Optional<String> description, List<KeyValue> tags, long time) {
        return database.write(handle -> {
            if (modelExists(handle, workspace, name)) {
                throw AtelierException.alreadyExists("Registered Model (name=" + name + ") already exists.");
            }
            handle.createUpdate("""
                            INSERT INTO registered_models (workspace, name, description, creation_time, last_update_time, next_version)
                            VALUES (:workspace, :name, :description, :time, :time, 1)
                            """)
                    .bind("workspace", workspace).bind("name", name).bind("description", description.orElse(null)).bind("time", time)
                    .execute();
            tags.forEach(tag -> upsertModelTag(handle, workspace, name, tag));
            return load(handle, workspace, name).orElseThrow();
        });
    }

    @Override
    public Optional<RegisteredModel> getRegisteredModel(String workspace, String name) {
        return database.read(handle -> load(handle, workspace, name));
    }

    @Override
    public boolean renameRegisteredModel(String workspace, String name, String newName, long time) {
        return database.write(handle -> {
            if (!modelExists(handle, workspace, name)) {
                return false;
            }
            if (!name.equals(newName) && modelExists(handle, workspace, newName)) {
                throw AtelierException.alreadyExists("Registered Model (name=" + newName + ") already exists.");
            }
            // Foreign keys cascade the new name to versions, tags and aliases.
            return handle.createUpdate("UPDATE registered_models SET name = :newName, last_update_time = :time WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", name).bind("newName", newName).bind("time", time)
                    .execute() == 1;
        });
    }

    @Override
    public boolean updateRegisteredModelDescription(String workspace, String name, String description, long time) {
        return database.write(handle -> handle.createUpdate("""
                        UPDATE registered_models SET description = :description, last_update_time = :time
                        WHERE workspace = :workspace AND name = :name
                        """)
                .bind("workspace", workspace).bind("name", name).bind("description", description).bind("time", time)
                .execute() == 1);
    }

    @Override
    public boolean deleteRegisteredModel(String workspace, String name) {
        return database.write(handle -> handle.createUpdate("DELETE FROM registered_models WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name)
                .execute() == 1);
    }

    @Override
    public List<RegisteredModel> searchRegisteredModels(String workspace, RegistryFilter filter, String orderBy, int offset, int limit) {
        RegistryFilter.Rendered condition = filter.render(database.dialect());
        return database.read(handle -> RegisteredModelRows.select(handle, workspace, condition.sql(), condition::bind,
                "ORDER BY " + orderBy + " LIMIT " + limit + " OFFSET " + offset));
    }

    @Override
    public boolean setRegisteredModelTag(String workspace, String name, KeyValue tag) {
        return database.write(handle -> {
            if (!modelExists(handle, workspace, name)) {
                return false;
            }
            upsertModelTag(handle, workspace, name, tag);
            return true;
        });
    }

    @Override
    public boolean deleteRegisteredModelTag(String workspace, String name, String key) {
        return database.write(handle -> {
            if (!modelExists(handle, workspace, name)) {
                return false;
            }
            handle.createUpdate("DELETE FROM registered_model_tags WHERE workspace = :workspace AND name = :name AND key = :key")
                    .bind("workspace", workspace).bind("name", name).bind("key", key).execute();
            return true;
        });
    }

    @Override
    public boolean setAlias(String workspace, String name, String alias, long version) {
        return database.write(handle -> {
            if (!versionExists(handle, workspace, name, version)) {
                return false;
            }
            handle.createUpdate("""
                            INSERT INTO registered_model_aliases (workspace, name, alias, version) VALUES (:workspace, :name, :alias, :version)
                            ON CONFLICT (workspace, name, alias) DO UPDATE SET version = excluded.version
                            """)
                    .bind("workspace", workspace).bind("name", name).bind("alias", alias).bind("version", version).execute();
            return true;
        });
    }

    @Override
    public boolean deleteAlias(String workspace, String name, String alias) {
        return database.write(handle -> {
            if (!modelExists(handle, workspace, name)) {
                return false;
            }
            handle.createUpdate("DELETE FROM registered_model_aliases WHERE workspace = :workspace AND name = :name AND alias = :alias")
                    .bind("workspace", workspace).bind("name", name).bind("alias", alias).execute();
            return true;
        });
    }

    @Override
    public Optional<Long> aliasVersion(String workspace, String name, String alias) {
        return database.read(handle -> handle.createQuery(
                        "SELECT version FROM registered_model_aliases WHERE workspace = :workspace AND name = :name AND alias = :alias")
                .bind("workspace", workspace).bind("name", name).bind("alias", alias)
                .mapTo(Long.class)
                .findOne());
    }

    @Override
    public Optional<ModelVersion> createModelVersion(String workspace, NewModelVersion version, String copySource,
                                                     String storageLocation, String claimOwner, long claimedUntil, long time) {
        return database.write(handle -> insertVersion(handle, workspace, version, time).flatMap(number -> {
            RegistrationRows.insertPending(handle, workspace, version.name(), number, copySource, storageLocation, claimOwner,
                    claimedUntil);
            return loadVersion(handle, workspace, version.name(), number);
        }));
    }

    @Override
    public Optional<ModelVersion> createModelVersionWithoutFiles(String workspace, NewModelVersion version, long time) {
        return database.write(handle -> insertVersion(handle, workspace, version, time)
                .flatMap(number -> loadVersion(handle, workspace, version.name(), number)));
    }

    /** Inserts the model's next version, READY, with its tags; its number, or empty when the model does not exist. */
    private static Optional<Long> insertVersion(Handle handle, String workspace, NewModelVersion version, long time) {
        Optional<Long> number = handle.createQuery("""
                        UPDATE registered_models SET next_version = next_version + 1, last_update_time = :time
                        WHERE workspace = :workspace AND name = :name
                        RETURNING next_version - 1
                        """)
                .bind("workspace", workspace).bind("name", version.name()).bind("time", time)
                .mapTo(Long.class)
                .findOne();
        if (number.isEmpty()) {
            return number;
        }
        handle.createUpdate("""
                        INSERT INTO model_versions (workspace, name, version, creation_time, last_update_time, description,
                                                    current_stage, source, run_id, status, run_link, model_id)
                        VALUES (:workspace, :name, :version, :time, :time, :description, :stage, :source, :runId, :status, '',
                                :modelId)
                        """)
                .bind("workspace", workspace).bind("name", version.name()).bind("version", number.get()).bind("time", time)
                .bind("description", version.description()).bind("stage", ModelStage.NONE.wireName())
                .bind("source", version.source()).bind("runId", version.runId().orElse(null)).bind("status", ModelVersion.READY)
                .bind("modelId", version.modelId().orElse(null))
                .execute();
        version.tags().forEach(tag -> upsertVersionTag(handle, workspace, version.name(), number.get(), tag));
        return number;
    }

    @Override
    public Optional<ModelVersion> getModelVersion(String workspace, String name, long version) {
        return database.read(handle -> loadVersion(handle, workspace, name, version));
    }

    @Override
    public boolean updateModelVersionDescription(String workspace, String name, long version, String description, long time) {
        return database.write(handle -> handle.createUpdate(
                        "UPDATE model_versions SET description = :description, last_update_time = :time WHERE " + LIVE_VERSION)
                .bind("workspace", workspace).bind("name", name).bind("version", version)
                .bind("description", description).bind("time", time)
                .execute() == 1);
    }

    @Override
    public boolean transitionStage(String workspace, String name, long version, ModelStage stage, boolean archiveExisting, long time) {
        return database.write(handle -> {
            if (!versionExists(handle, workspace, name, version)) {
                return false;
            }
            if (archiveExisting && (stage == ModelStage.STAGING || stage == ModelStage.PRODUCTION)) {
                handle.createUpdate("""
                                UPDATE model_versions SET current_stage = :archived, last_update_time = :time
                                WHERE workspace = :workspace AND name = :name AND version <> :version AND current_stage = :stage
                                """)
                        .bind("workspace", workspace).bind("name", name).bind("version", version).bind("time", time)
                        .bind("archived", ModelStage.ARCHIVED.wireName()).bind("stage", stage.wireName())
                        .execute();
            }
            handle.createUpdate("UPDATE model_versions SET current_stage = :stage, last_update_time = :time WHERE " + LIVE_VERSION)
                    .bind("workspace", workspace).bind("name", name).bind("version", version)
                    .bind("stage", stage.wireName()).bind("time", time)
                    .execute();
            touchModel(handle, workspace, name, time);
            return true;
        });
    }

    @Override
    public boolean deleteModelVersion(String workspace, String name, long version, long time) {
        return database.write(handle -> {
            if (!versionExists(handle, workspace, name, version)) {
                return false;
            }
            handle.createUpdate("DELETE FROM registered_model_aliases WHERE workspace = :workspace AND name = :name AND version = :version")
                    .bind("workspace", workspace).bind("name", name).bind("version", version).execute();
            handle.createUpdate("DELETE FROM model_version_tags WHERE workspace = :workspace AND name = :name AND version = :version")
                    .bind("workspace", workspace).bind("name", name).bind("version", version).execute();
            handle.createUpdate("""
                            UPDATE model_versions SET current_stage = :deleted, description = '', source = 'REDACTED-SOURCE-PATH',
                                   run_id = NULL, run_link = '', last_update_time = :time, storage_location = NULL,
                                   status = :failed, copy_source = NULL, claimed_until = NULL, claim_owner = NULL
                            WHERE workspace = :workspace AND name = :name AND version = :version
                            """)
                    .bind("workspace", workspace).bind("name", name).bind("version", version)
                    .bind("deleted", DELETED_STAGE).bind("time", time).bind("failed", ModelVersion.FAILED_REGISTRATION)
                    .execute();
            touchModel(handle, workspace, name, time);
            return true;
        });
    }

    @Override
    public List<ModelVersion> searchModelVersions(String workspace, RegistryFilter filter, String orderBy, int offset, int limit) {
        RegistryFilter.Rendered condition = filter.render(database.dialect());
        return database.read(handle -> ModelVersionRows.select(handle, workspace, condition.sql(), condition::bind,
                "ORDER BY " + orderBy + " LIMIT " + limit + " OFFSET " + offset, false));
    }

    @Override
    public List<ModelVersion> listModelVersions(String workspace, String name) {
        return database.read(handle -> ModelVersionRows.select(handle, workspace, "name = :name", query -> query.bind("name", name),
                "ORDER BY version DESC", true));
    }

    @Override
    public boolean setModelVersionTag(String workspace, String name, long version, KeyValue tag) {
        return database.write(handle -> {
            if (!versionExists(handle, workspace, name, version)) {
                return false;
            }
            upsertVersionTag(handle, workspace, name, version, tag);
            return true;
        });
    }

    @Override
    public boolean deleteModelVersionTag(String workspace, String name, long version, String key) {
        return database.write(handle -> {
            if (!versionExists(handle, workspace, name, version)) {
                return false;
            }
            handle.createUpdate("DELETE FROM model_version_tags WHERE workspace = :workspace AND name = :name AND version = :version AND key = :key")
                    .bind("workspace", workspace).bind("name", name).bind("version", version).bind("key", key).execute();
            return true;
        });
    }

    @Override
    public boolean finishRegistration(String workspace, String name, long version, String claimOwner, String status,
                                      String statusMessage, long time) {
        return database.write(handle -> RegistrationRows.finish(handle, workspace, name, version, claimOwner, status, statusMessage,
                time));
    }

    @Override
    public boolean renewClaim(String workspace, String name, long version, String claimOwner, long claimedUntil) {
        return database.write(handle -> RegistrationRows.renew(handle, workspace, name, version, claimOwner, claimedUntil));
    }

    @Override
    public List<PendingCopy> claimExpiredCopies(long now, long claimedUntil, int limit) {
        return database.write(handle -> RegistrationRows.claimExpired(handle, now, claimedUntil, limit));
    }

    @Override
    public long databaseTime() {
        return database.now();
    }

    @Override
    public List<String> storageLocations(String workspace, String name) {
        return database.read(handle -> RegistrationRows.storageLocations(handle, workspace, name));
    }

    @Override
    public boolean holdsData(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT 1 FROM registered_models WHERE workspace = :workspace LIMIT 1")
                .bind("workspace", workspace).mapTo(Integer.class).findOne().isPresent());
    }
}
