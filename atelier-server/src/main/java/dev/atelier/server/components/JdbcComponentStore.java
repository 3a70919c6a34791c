package dev.atelier.server.components;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * {@link ComponentStore} on SQLite or PostgreSQL. A version's spec is read back from its stored document, which was
 * checked when it was registered. Thread-safe.
 */
public final class JdbcComponentStore implements ComponentStore {
    private static final String COLUMNS = "workspace, name, version, document, archived, created_by, created_at";
    private static final Pattern INTEGER = Pattern.compile("\\d{1,18}");
    /** How often a write chooses its version and sequence number again after a concurrent writer took them. */
    private static final int ATTEMPTS = 20;
    private static final RowMapper<Component> ROW = (rs, ctx) -> component(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getInt(5) != 0, rs.getString(6), rs.getLong(7));

    private final Database database;

    public JdbcComponentStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<Component> create(Component component, boolean generateVersion) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Attempt result = database.write(handle -> attempt(handle, component, generateVersion));
            switch (result) {
                case Attempt.Written written -> {
                    return get(component.workspace(), component.name(), written.version());
                }
                case Attempt.Taken taken -> {
                    return Optional.empty();
                }
                case Attempt.Raced raced -> {
                    // another writer took the sequence number (or the generated version) between our read and insert
                }
            }
        }
        throw new IllegalStateException("Could not register component '" + component.name() + "' after " + ATTEMPTS
                + " attempts: concurrent registrations kept taking its next version");
    }

    private static Attempt attempt(Handle handle, Component component, boolean generateVersion) {
        String version = generateVersion ? nextVersion(handle, component) : component.version();
        if (!generateVersion && exists(handle, component.workspace(), component.name(), version)) {
            return new Attempt.Taken();
        }
        long seq = handle.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM components WHERE workspace = :workspace AND name = :name")
                .bind("workspace", component.workspace()).bind("name", component.name()).mapTo(Long.class).one();
        int inserted = handle.createUpdate("""
                        INSERT INTO components (workspace, name, version, seq, document, snapshot_id, environment, is_deterministic,
                                                archived, created_by, created_at)
                        VALUES (:workspace, :name, :version, :seq, :document, :snapshot, :environment, :deterministic, 0, :createdBy,
                                :createdAt)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("workspace", component.workspace())
                .bind("name", component.name())
                .bind("version", version)
                .bind("seq", seq)
                .bind("document", documentOf(component, version).toString())
                .bind("snapshot", component.spec().codeSnapshot().orElse(null))
                .bind("environment", component.spec().environment().orElse(null))
                .bind("deterministic", component.spec().deterministic() ? 1 : 0)
                .bind("createdBy", component.createdBy())
                .bind("createdAt", component.createdAt())
                .execute();
        return inserted == 1 ? new Attempt.Written(version) : new Attempt.Raced();
    }

    /** One more than the name's largest integer version; versions such as {@code 1.0.0} do not count. */
    private static String nextVersion(Handle handle, Component component) {
        long largest = handle.createQuery("SELECT version FROM components WHERE workspace = :workspace AND name = :name")
                .bind("workspace", component.workspace()).bind("name", component.name()).mapTo(String.class).stream()
                .filter(version -> INTEGER.matcher(version).matches()).mapToLong(Long::parseLong).max().orElse(0);
        return Long.toString(largest + 1);
    }

    private static boolean exists(Handle handle, String workspace, String name, String version) {
        return handle.createQuery("SELECT COUNT(*) FROM components WHERE workspace = :workspace AND name = :name AND version = :version")
                .bind("workspace", workspace).bind("name", name).bind("version", version).mapTo(Integer.class).one() > 0;
    }

    /** The component's document, saying {@code version}. */
    private static JsonNode documentOf(Component component, String version) {
        ObjectNode document = component.document().deepCopy();
        document.put("version", version);
        return document;
    }

    @Override
    public Optional<Component> get(String workspace, String name, String version) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM components WHERE workspace = :workspace AND name = :name AND version = :version")
                .bind("workspace", workspace).bind("name", name).bind("version", version).map(ROW).findOne());
    }

    @Override
    public Optional<Component> latest(String workspace, String name, boolean includeArchived) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM components WHERE workspace = :workspace "
                        + "AND name = :name" + (includeArchived ? "" : " AND archived = 0") + " ORDER BY seq DESC LIMIT 1")
                .bind("workspace", workspace).bind("name", name).map(ROW).findOne());
    }

    @Override
    public List<Component> listLatest(String workspace, boolean includeArchived) {
        String visible = includeArchived ? "" : " AND archived = 0";
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM components c WHERE workspace = :workspace"
                        + visible + " AND seq = (SELECT MAX(seq) FROM components l WHERE l.workspace = c.workspace AND l.name = c.name"
                        + visible + ") ORDER BY name")
                .bind("workspace", workspace).map(ROW).list());
    }

    @Override
    public List<Component> versions(String workspace, String name) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM components WHERE workspace = :workspace AND name = :name ORDER BY seq DESC")
                .bind("workspace", workspace).bind("name", name).map(ROW).list());
    }

    @Override
    public int setArchived(String workspace, String name, Optional<String> version, boolean archived) {
        return database.write(handle -> {
            var update = handle.createUpdate("UPDATE components SET archived = :archived WHERE workspace = :workspace AND name = :name"
                            + (version.isPresent() ? " AND version = :version" : ""))
                    .bind("archived", archived ? 1 : 0).bind("workspace", workspace).bind("name", name);
            version.ifPresent(v -> update.bind("version", v));
            return update.execute();
        });
    }

    private static Component component(String workspace, String name, String version, String document, boolean archived,
                                       String createdBy, long createdAt) {
        try {
            JsonNode node = Json.mapper().readTree(document);
            return new Component(name, version, ComponentDocument.parse(node, ""), archived, createdBy, createdAt, node, workspace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable document of component '" + name + ":" + version + "': "
                    + e.getOriginalMessage(), e);
        }
    }

    /** What one attempt at {@link #create} found. */
    private sealed interface Attempt {
        record Written(String version) implements Attempt {
        }

        record Taken() implements Attempt {
        }

        record Raced() implements Attempt {
        }
    }
}
