package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The SQL that reads model versions with their tags and aliases, shared by the registry store's methods. */
final class ModelVersionRows {
    /** The stage of a deleted version: MLflow keeps the row, so its number is never reused. */
    static final String DELETED_STAGE = "Deleted_Internal";

    private ModelVersionRows() {
    }

    /**
     * Live versions matching {@code condition} (SQL over model_versions, bound by {@code binder}),
     * ordered and limited by {@code orderAndLimit}; aliases filled in when {@code withAliases}.
     */
    static List<ModelVersion> select(Handle handle, String workspace, String condition, Consumer<Query> binder,
                                     String orderAndLimit, boolean withAliases) {
        Query query = handle.createQuery("""
                        SELECT name, version, creation_time, last_update_time, current_stage, description, source, run_id, status,
                               status_message, run_link, storage_location, model_id
                        FROM model_versions
                        WHERE workspace = :workspace AND current_stage <> '%s' AND (%s)
                        %s
                        """.formatted(DELETED_STAGE, condition, orderAndLimit))
                .bind("workspace", workspace);
        binder.accept(query);
        List<VersionRow> rows = query.map((rs, ctx) -> new VersionRow(rs.getString("name"), rs.getLong("version"),
                        rs.getLong("creation_time"), rs.getLong("last_update_time"), rs.getString("current_stage"),
                        rs.getString("description"), rs.getString("source"), rs.getString("run_id"), rs.getString("status"),
                        rs.getString("status_message"), rs.getString("run_link"), rs.getString("storage_location"),
                        rs.getString("model_id")))
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> names = rows.stream().map(VersionRow::name).distinct().toList();
        Map<String, List<KeyValue>> tags = new HashMap<>();
        handle.createQuery("SELECT name, version, key, value FROM model_version_tags WHERE workspace = :workspace AND name IN (<names>) ORDER BY key")
                .bind("workspace", workspace).bindList("names", names)
                .map((rs, ctx) -> tags.computeIfAbsent(key(rs.getString(1), rs.getLong(2)), k -> new ArrayList<>())
                        .add(new KeyValue(rs.getString(3), rs.getString(4))))
                .list();
        Map<String, List<String>> aliases = new HashMap<>();
        if (withAliases) {
            handle.createQuery("SELECT name, version, alias FROM registered_model_aliases WHERE workspace = :workspace AND name IN (<names>) ORDER BY alias")
                    .bind("workspace", workspace).bindList("names", names)
                    .map((rs, ctx) -> aliases.computeIfAbsent(key(rs.getString(1), rs.getLong(2)), k -> new ArrayList<>()).add(rs.getString(3)))
                    .list();
        }
        return rows.stream().map(row -> row.toModelVersion(tags.getOrDefault(key(row.name(), row.version()), List.of()),
                aliases.getOrDefault(key(row.name(), row.version()), List.of()))).toList();
    }

    private static String key(String name, long version) {
        return version + "/" + name;
    }

    private record VersionRow(String name, long version, long creationTime, long lastUpdateTime, String currentStage,
                              String description, String source, String runId, String status, String statusMessage,
                              String runLink, String storageLocation, String modelId) {
        ModelVersion toModelVersion(List<KeyValue> tags, List<String> aliases) {
            return new ModelVersion(name, Long.toString(version), creationTime, lastUpdateTime, currentStage, description,
                    source, runId, status, statusMessage, tags, runLink, aliases, storageLocation, modelId);
        }
    }
}
