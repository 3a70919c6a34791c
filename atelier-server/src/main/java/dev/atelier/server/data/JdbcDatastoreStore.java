package dev.atelier.server.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link DatastoreStore} on SQLite or PostgreSQL; a location's settings are a JSON text column. Thread-safe. */
public final class JdbcDatastoreStore implements DatastoreStore {
    private static final String COLUMNS = "name, type, settings, description, created_by, created_at";
    private static final RowMapper<Datastore> DATASTORE = (rs, ctx) -> new Datastore(rs.getString(1),
            location(rs.getString(2), rs.getString(3)), rs.getString(4), rs.getString(5), rs.getLong(6));

    private final Database database;

    public JdbcDatastoreStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean createDatastore(String workspace, Datastore datastore) {
        return database.write(handle -> handle.createUpdate("""
                        INSERT INTO datastores (workspace, name, type, description, settings, created_by, created_at)
                        VALUES (:workspace, :name, :type, :description, :settings, :createdBy, :createdAt)
                        ON CONFLICT (workspace, name) DO NOTHING
                        """)
                .bind("workspace", workspace)
                .bind("name", datastore.name())
                .bind("type", datastore.location().type())
                .bind("description", datastore.description())
                .bind("settings", settings(datastore.location()))
                .bind("createdBy", datastore.createdBy())
                .bind("createdAt", datastore.createdAt())
                .execute() == 1);
    }

    @Override
    public Optional<Datastore> getDatastore(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM datastores WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace)
                .bind("name", name)
                .map(DATASTORE)
                .findOne());
    }

    @Override
    public List<Datastore> listDatastores(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM datastores WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace)
                .map(DATASTORE)
                .list());
    }

    @Override
    public boolean deleteDatastore(String workspace, String name) {
        return database.write(handle -> handle.createUpdate("DELETE FROM datastores WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace)
                .bind("name", name)
                .execute() == 1);
    }

    @Override
    public void deleteWorkspace(String workspace) {
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM datastores WHERE workspace = :workspace")
                .bind("workspace", workspace)
                .execute());
    }

    private static String settings(Datastore.Location location) {
        ObjectNode node = Json.mapper().createObjectNode();
        switch (location) {
            case Datastore.WorkspaceStorage ignored -> {
            }
            case Datastore.LocalFolder local -> node.put("root", local.root().toString());
            case Datastore.S3Bucket s3 -> {
                s3.endpoint().ifPresent(endpoint -> node.put("endpoint", endpoint.toString()));
                node.put("region", s3.region());
                node.put("bucket", s3.bucket());
                node.put("prefix", s3.prefix());
                node.put("path_style", s3.pathStyle());
                s3.accessKeySecret().ifPresent(secret -> node.put("access_key_secret", secret));
                s3.secretKeySecret().ifPresent(secret -> node.put("secret_key_secret", secret));
            }
        }
        return node.toString();
    }

    private static Datastore.Location location(String type, String settings) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable datastore settings: " + e.getMessage(), e);
        }
        return switch (type) {
            case "workspace" -> new Datastore.WorkspaceStorage();
            case "local" -> new Datastore.LocalFolder(Path.of(node.path("root").asText()));
            case "s3" -> new Datastore.S3Bucket(text(node, "endpoint").map(URI::create), node.path("region").asText(),
                    node.path("bucket").asText(), node.path("prefix").asText(), node.path("path_style").asBoolean(),
                    text(node, "access_key_secret"), text(node, "secret_key_secret"));
            default -> throw new IllegalStateException("unknown datastore type in the database: " + type);
        };
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
