package dev.atelier.server.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/** {@link DataAssetStore} on SQLite or PostgreSQL; tags and profiles are JSON text columns. Thread-safe. */
public final class JdbcDataAssetStore implements DataAssetStore {
    private static final String COLUMNS = "name, version, type, datastore, path, description, tags, digest, size_bytes, "
            + "file_count, profile, archived, created_by, created_at";
    private static final RowMapper<DataVersion> VERSION = (rs, ctx) -> new DataVersion(rs.getString(1), rs.getInt(2),
            DataType.parse(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6), tags(rs.getString(7)),
            rs.getString(8), rs.getLong(9), rs.getInt(10), Optional.ofNullable(rs.getString(11)).map(JdbcDataAssetStore::json),
            rs.getInt(12) != 0, rs.getString(13), rs.getLong(14));
    private static final RowMapper<LineageRecord> LINEAGE = (rs, ctx) -> new LineageRecord(rs.getString(1), rs.getInt(2),
            rs.getString(3), LineageDirection.parse(rs.getString(4)), rs.getString(5), rs.getLong(6));
    private static final String LINEAGE_COLUMNS = "data_name, data_version, run_id, direction, source, recorded_at";

    private final Database database;

    public JdbcDataAssetStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<DataVersion> createVersion(String workspace, DataVersion version, OptionalInt requested) {
        return database.write(handle -> {
            handle.createUpdate("""
                            INSERT INTO data_assets (workspace, name, latest_version, created_at)
                            VALUES (:workspace, :name, 0, :createdAt)
                            ON CONFLICT (workspace, name) DO NOTHING
                            """)
                    .bind("workspace", workspace).bind("name", version.name()).bind("createdAt", version.createdAt())
                    .execute();
            // Updating first locks the row (PostgreSQL), so concurrent registrations get distinct numbers.
            int updated = handle.createUpdate("""
                            UPDATE data_assets SET latest_version = CASE WHEN :requested > 0 THEN :requested ELSE latest_version + 1 END
                            WHERE workspace = :workspace AND name = :name AND (:requested = 0 OR latest_version < :requested)
                            """)
                    .bind("workspace", workspace).bind("name", version.name()).bind("requested", requested.orElse(0))
                    .execute();
            if (updated == 0) {
                return Optional.<DataVersion>empty();
            }
            int number = handle.createQuery("SELECT latest_version FROM data_assets WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", version.name()).mapTo(Integer.class).one();
            insertVersion(handle, workspace, version, number);
            return selectVersion(handle, workspace, version.name(), number);
        });
    }

    private static void insertVersion(Handle handle, String workspace, DataVersion version, int number) {
        handle.createUpdate("""
                        INSERT INTO data_versions (workspace, name, version, type, datastore, path, description, tags, digest,
                                                   size_bytes, file_count, profile, archived, created_by, created_at)
                        VALUES (:workspace, :name, :version, :type, :datastore, :path, :description, :tags, :digest,
                                :sizeBytes, :fileCount, :profile, 0, :createdBy, :createdAt)
                        """)
                .bind("workspace", workspace)
                .bind("name", version.name())
                .bind("version", number)
                .bind("type", version.type().wireName())
                .bind("datastore", version.datastore())
                .bind("path", version.path())
                .bind("description", version.description())
                .bind("tags", write(version.tags()))
                .bind("digest", version.digest())
                .bind("sizeBytes", version.sizeBytes())
                .bind("fileCount", version.fileCount())
                .bind("profile", version.profile().map(JsonNode::toString).orElse(null))
                .bind("createdBy", version.createdBy())
                .bind("createdAt", version.createdAt())
                .execute();
    }

    @Override
    public Optional<DataVersion> getVersion(String workspace, String name, int version) {
        return database.read(handle -> selectVersion(handle, workspace, name, version));
    }

    private static Optional<DataVersion> selectVersion(Handle handle, String workspace, String name, int version) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM data_versions WHERE workspace = :workspace AND name = :name "
                        + "AND version = :version")
                .bind("workspace", workspace).bind("name", name).bind("version", version)
                .map(VERSION).findOne();
    }

    @Override
    public Optional<DataVersion> latestVersion(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM data_versions WHERE workspace = :workspace "
                        + "AND name = :name AND archived = 0 ORDER BY version DESC LIMIT 1")
                .bind("workspace", workspace).bind("name", name)
                .map(VERSION).findOne());
    }

    @Override
    public List<DataVersion> listVersions(String workspace, String name, boolean includeArchived) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM data_versions WHERE workspace = :workspace "
                        + "AND name = :name AND (archived = 0 OR :all = 1) ORDER BY version DESC")
                .bind("workspace", workspace).bind("name", name).bind("all", includeArchived ? 1 : 0)
                .map(VERSION).list());
    }

    @Override
    public List<DataVersion> listAssets(String workspace, boolean includeArchived) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM data_versions v WHERE workspace = :workspace "
                        + "AND (archived = 0 OR :all = 1) AND version = (SELECT MAX(version) FROM data_versions w "
                        + "WHERE w.workspace = v.workspace AND w.name = v.name AND (w.archived = 0 OR :all = 1)) ORDER BY name")
                .bind("workspace", workspace).bind("all", includeArchived ? 1 : 0)
                .map(VERSION).list());
    }

    @Override
    public boolean datastoreInUse(String workspace, String datastore) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM data_versions WHERE workspace = :workspace "
                        + "AND datastore = :datastore")
                .bind("workspace", workspace).bind("datastore", datastore)
                .mapTo(Long.class).one() > 0);
    }

    @Override
    public boolean setArchived(String workspace, String name, int version, boolean archived) {
        return database.write(handle -> handle.createUpdate("UPDATE data_versions SET archived = :archived "
                        + "WHERE workspace = :workspace AND name = :name AND version = :version")
                .bind("archived", archived ? 1 : 0).bind("workspace", workspace).bind("name", name).bind("version", version)
                .execute() == 1);
    }

    @Override
    public boolean deleteVersion(String workspace, String name, int version) {
        return database.write(handle -> handle.createUpdate("DELETE FROM data_versions "
                        + "WHERE workspace = :workspace AND name = :name AND version = :version")
                .bind("workspace", workspace).bind("name", name).bind("version", version)
                .execute() == 1);
    }

    @Override
    public void recordLineage(String workspace, LineageRecord record) {
        database.writeVoid(handle -> handle.createUpdate("""
                        INSERT INTO data_lineage (workspace, data_name, data_version, run_id, direction, source, recorded_at)
                        VALUES (:workspace, :name, :version, :runId, :direction, :source, :recordedAt)
                        ON CONFLICT (workspace, data_name, data_version, run_id, direction) DO NOTHING
                        """)
                .bind("workspace", workspace).bind("name", record.name()).bind("version", record.version())
                .bind("runId", record.runId()).bind("direction", record.direction().wireName())
                .bind("source", record.source()).bind("recordedAt", record.recordedAt())
                .execute());
    }

    @Override
    public List<LineageRecord> lineageOfVersion(String workspace, String name, int version) {
        return database.read(handle -> handle.createQuery("SELECT " + LINEAGE_COLUMNS + " FROM data_lineage WHERE workspace = :workspace "
                        + "AND data_name = :name AND data_version = :version ORDER BY recorded_at, run_id")
                .bind("workspace", workspace).bind("name", name).bind("version", version)
                .map(LINEAGE).list());
    }

    @Override
    public List<LineageRecord> lineageOfRuns(String workspace, List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return database.read(handle -> handle.createQuery("SELECT " + LINEAGE_COLUMNS + " FROM data_lineage WHERE workspace = :workspace "
                        + "AND run_id IN (<runIds>) ORDER BY recorded_at, data_name, data_version")
                .bind("workspace", workspace).bindList("runIds", runIds)
                .map(LINEAGE).list());
    }

    @Override
    public void deleteWorkspace(String workspace) {
        database.writeVoid(handle -> {
            for (String table : List.of("data_lineage", "data_versions", "data_assets")) {
                handle.createUpdate("DELETE FROM " + table + " WHERE workspace = :workspace").bind("workspace", workspace).execute();
            }
        });
    }

    private static String write(Map<String, String> tags) {
        try {
            return Json.mapper().writeValueAsString(new java.util.TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write tags", e);
        }
    }

    private static Map<String, String> tags(String text) {
        try {
            return Json.mapper().readValue(text, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tags in the database", e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable profile in the database", e);
        }
    }
}
