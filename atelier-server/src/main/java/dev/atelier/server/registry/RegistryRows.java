package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;
import org.jdbi.v3.core.Handle;

import java.util.Optional;

import static dev.atelier.server.registry.ModelVersionRows.DELETED_STAGE;

/** Small SQL pieces the registry store's methods share: existence checks, loads, tag upserts. */
final class RegistryRows {
    /** A live (not deleted) version, bound by {@code :workspace}, {@code :name} and {@code :version}. */
    static final String LIVE_VERSION = "workspace = :workspace AND name = :name AND version = :version AND current_stage <> '"
            + DELETED_STAGE + "'";

    private RegistryRows() {
    }

    static Optional<RegisteredModel> load(Handle handle, String workspace, String name) {
        return RegisteredModelRows.select(handle, workspace, "name = :name", query -> query.bind("name", name), "").stream().findFirst();
    }

    static Optional<ModelVersion> loadVersion(Handle handle, String workspace, String name, long version) {
        return ModelVersionRows.select(handle, workspace, "name = :name AND version = :version",
                query -> query.bind("name", name).bind("version", version), "", true).stream().findFirst();
    }

    static boolean modelExists(Handle handle, String workspace, String name) {
        return handle.createQuery("SELECT COUNT(*) FROM registered_models WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name)
                .mapTo(Integer.class).one() > 0;
    }

    static boolean versionExists(Handle handle, String workspace, String name, long version) {
        return handle.createQuery("SELECT COUNT(*) FROM model_versions WHERE " + LIVE_VERSION)
                .bind("workspace", workspace).bind("name", name).bind("version", version)
                .mapTo(Integer.class).one() > 0;
    }

    static void touchModel(Handle handle, String workspace, String name, long time) {
        handle.createUpdate("UPDATE registered_models SET last_update_time = :time WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace).bind("name", name).bind("time", time).execute();
    }

    static void upsertModelTag(Handle handle, String workspace, String name, KeyValue tag) {
        handle.createUpdate("""
                        INSERT INTO registered_model_tags (workspace, name, key, value) VALUES (:workspace, :name, :key, :value)
                        ON CONFLICT (workspace, name, key) DO UPDATE SET value = excluded.value
                        """)
                .bind("workspace", workspace).bind("name", name).bind("key", tag.key()).bind("value", tag.value())
                .execute();
    }

    static void upsertVersionTag(Handle handle, String workspace, String name, long version, KeyValue tag) {
        handle.createUpdate("""
                        INSERT INTO model_version_tags (workspace, name, version, key, value) VALUES (:workspace, :name, :version, :key, :value)
                        ON CONFLICT (workspace, name, version, key) DO UPDATE SET value = excluded.value
                        """)
                .bind("workspace", workspace).bind("name", name).bind("version", version).bind("key", tag.key()).bind("value", tag.value())
                .execute();
    }
}
