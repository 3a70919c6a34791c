package dev.atelier.server.registry;

import dev.atelier.server.tracking.KeyValue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The SQL that reads registered models with their latest versions, tags and aliases. */
final class RegisteredModelRows {
    private RegisteredModelRows() {
    }

    /** Models matching {@code condition} (SQL over registered_models), ordered and limited by {@code orderAndLimit}. */
    static List<RegisteredModel> select(Handle handle, String workspace, String condition, Consumer<Query> binder, String orderAndLimit) {
        Query query = handle.createQuery("""
                        SELECT name, description, creation_time, last_update_time FROM registered_models
                        WHERE workspace = :workspace AND (%s)
                        %s
                        """.formatted(condition, orderAndLimit))
                .bind("workspace", workspace);
        binder.accept(query);
        List<ModelRow> rows = query.map((rs, ctx) -> new ModelRow(rs.getString("name"), rs.getString("description"),
                rs.getLong("creation_time"), rs.getLong("last_update_time"))).list();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> names = rows.stream().map(ModelRow::name).toList();
        Map<String, List<KeyValue>> tags = new HashMap<>();
        handle.createQuery("SELECT name, key, value FROM registered_model_tags WHERE workspace = :workspace AND name IN (<names>) ORDER BY key")
                .bind("workspace", workspace).bindList("names", names)
                .map((rs, ctx) -> tags.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new KeyValue(rs.getString(2), rs.getString(3))))
                .list();
        Map<String, List<ModelAlias>> aliases = new HashMap<>();
        handle.createQuery("SELECT name, alias, version FROM registered_model_aliases WHERE workspace = :workspace AND name IN (<names>) ORDER BY alias")
                .bind("workspace", workspace).bindList("names", names)
                .map((rs, ctx) -> aliases.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new ModelAlias(rs.getString(2), Long.toString(rs.getLong(3)))))
                .list();
        Map<String, List<ModelVersion>> latest = latestVersions(handle, workspace, names);
        return rows.stream().map(row -> new RegisteredModel(row.name(), row.creationTime(), row.lastUpdateTime(), row.description(),
                latest.getOrDefault(row.name(), List.of()), tags.getOrDefault(row.name(), List.of()),
                aliases.getOrDefault(row.name(), List.of()))).toList();
    }

    /** The newest live version of each stage, per model, ordered by version; without aliases, as MLflow shows them. */
    static Map<String, List<ModelVersion>> latestVersions(Handle handle, String workspace, List<String> names) {
        List<ModelVersion> versions = ModelVersionRows.select(handle, workspace, "name IN (<names>)",
                query -> query.bindList("names", names), "ORDER BY name, version", false);
        Map<String, Map<String, ModelVersion>> byStage = new LinkedHashMap<>();
        for (ModelVersion version : versions) {
            byStage.computeIfAbsent(version.name(), k -> new HashMap<>()).put(version.currentStage(), version);
        }
        Map<String, List<ModelVersion>> latest = new HashMap<>();
        byStage.forEach((name, stages) -> latest.put(name, stages.values().stream()
                .sorted(Comparator.comparingLong(version -> Long.parseLong(version.version()))).toList()));
        return latest;
    }

    private record ModelRow(String name, String description, long creationTime, long lastUpdateTime) {
    }
}
