package dev.atelier.server.secrets;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/** {@link SecretStore} on SQLite or PostgreSQL; nonce and ciphertext are stored as base64 text. Thread-safe. */
final class JdbcSecretStore implements SecretStore {
    private static final String SECRET_COLUMNS = "name, latest_version, description, created_by, created_at, updated_at";
    private static final RowMapper<Secret> SECRET = (rs, ctx) -> new Secret(rs.getString(1), rs.getInt(2), rs.getString(3),
            rs.getString(4), rs.getLong(5), rs.getLong(6));
    private static final RowMapper<StoredVersion> VERSION = (rs, ctx) -> new StoredVersion(
            new SecretVersionRef(rs.getString(1), rs.getString(2), rs.getInt(3)),
            new EncryptedValue(rs.getString(4), decode(rs.getString(5)), decode(rs.getString(6))));

    private final Database database;

    JdbcSecretStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public boolean createSecret(String workspace, Secret secret, EncryptedValue value) {
        return database.write(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO secrets (workspace, name, description, latest_version, created_by, created_at, updated_at)
                            VALUES (:workspace, :name, :description, 1, :createdBy, :time, :time)
                            ON CONFLICT (workspace, name) DO NOTHING
                            """)
                    .bind("workspace", workspace)
                    .bind("name", secret.name())
                    .bind("description", secret.description())
                    .bind("createdBy", secret.createdBy())
                    .bind("time", secret.createdAt())
                    .execute();
            if (inserted == 0) {
                return false;
            }
            insertVersion(handle, new SecretVersionRef(workspace, secret.name(), 1), value, secret.createdBy(), secret.createdAt());
            return true;
        });
    }

    @Override
    public Optional<Secret> addVersion(String workspace, String name, Optional<String> description, String createdBy, long time,
                                       IntFunction<EncryptedValue> encrypt) {
        return database.write(handle -> {
            // Updating first locks the row (PostgreSQL), so concurrent updates get distinct version numbers.
            int updated = handle.createUpdate("""
                            UPDATE secrets SET latest_version = latest_version + 1, updated_at = :time,
                                   description = COALESCE(:description, description)
                            WHERE workspace = :workspace AND name = :name
                            """)
                    .bind("workspace", workspace)
                    .bind("name", name)
                    .bind("time", time)
                    .bind("description", description.orElse(null))
                    .execute();
            if (updated == 0) {
                return Optional.<Secret>empty();
            }
            Secret secret = selectSecret(handle, workspace, name).orElseThrow();
            SecretVersionRef ref = new SecretVersionRef(workspace, name, secret.version());
            insertVersion(handle, ref, encrypt.apply(secret.version()), createdBy, time);
            return Optional.of(secret);
        });
    }

    @Override
    public Optional<Secret> getSecret(String workspace, String name) {
        return database.read(handle -> selectSecret(handle, workspace, name));
    }

    @Override
    public List<Secret> listSecrets(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE workspace = :workspace ORDER BY name")
                .bind("workspace", workspace)
                .map(SECRET)
                .list());
    }

    @Override
    public Optional<StoredVersion> getVersion(String workspace, String name, OptionalInt version) {
        return database.read(handle -> handle.createQuery("""
                        SELECT v.workspace, v.name, v.version, v.key_id, v.nonce, v.ciphertext
                        FROM secret_versions v JOIN secrets s ON s.workspace = v.workspace AND s.name = v.name
                        WHERE v.workspace = :workspace AND v.name = :name
                          AND v.version = COALESCE(:version, s.latest_version)
                        """)
                .bind("workspace", workspace)
                .bind("name", name)
                .bind("version", version.isPresent() ? Integer.valueOf(version.getAsInt()) : null)
                .map(VERSION)
                .findOne());
    }

    @Override
    public boolean deleteSecret(String workspace, String name) {
        return database.write(handle -> {
            handle.createUpdate("DELETE FROM secret_versions WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", name).execute();
            return handle.createUpdate("DELETE FROM secrets WHERE workspace = :workspace AND name = :name")
                    .bind("workspace", workspace).bind("name", name).execute() > 0;
        });
    }

    @Override
    public boolean holdsSecrets(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT 1 FROM secrets WHERE workspace = :workspace LIMIT 1")
                .bind("workspace", workspace)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
    }

    @Override
    public void deleteSecrets(String workspace) {
        database.writeVoid(handle -> {
            handle.createUpdate("DELETE FROM secret_versions WHERE workspace = :workspace").bind("workspace", workspace).execute();
            handle.createUpdate("DELETE FROM secrets WHERE workspace = :workspace").bind("workspace", workspace).execute();
        });
    }

    @Override
    public int reencryptAll(UnaryOperator<StoredVersion> reencrypt, Runnable beforeCommit) {
        int count = database.write(handle -> {
            List<StoredVersion> versions = handle.createQuery("""
                            SELECT workspace, name, version, key_id, nonce, ciphertext FROM secret_versions
                            ORDER BY workspace, name, version
                            """)
                    .map(VERSION)
                    .list();
            for (StoredVersion version : versions) {
                StoredVersion replacement = reencrypt.apply(version);
                handle.createUpdate("""
                                UPDATE secret_versions SET key_id = :keyId, nonce = :nonce, ciphertext = :ciphertext
                                WHERE workspace = :workspace AND name = :name AND version = :version
                                """)
                        .bind("workspace", version.ref().workspace())
                        .bind("name", version.ref().name())
                        .bind("version", version.ref().version())
                        .bind("keyId", replacement.value().keyId())
                        .bind("nonce", encode(replacement.value().nonce()))
                        .bind("ciphertext", encode(replacement.value().ciphertext()))
                        .execute();
            }
            beforeCommit.run();
            return versions.size();
        });
        database.makeDurable(); // the caller drops the old key next: the new ciphertexts must survive a power loss
        return count;
    }

    private static Optional<Secret> selectSecret(Handle handle, String workspace, String name) {
        return handle.createQuery("SELECT " + SECRET_COLUMNS + " FROM secrets WHERE workspace = :workspace AND name = :name")
                .bind("workspace", workspace)
                .bind("name", name)
                .map(SECRET)
                .findOne();
    }

    private static void insertVersion(Handle handle, SecretVersionRef ref, EncryptedValue value, String createdBy, long time) {
        handle.createUpdate("""
                        INSERT INTO secret_versions (workspace, name, version, key_id, nonce, ciphertext, created_by, created_at)
                        VALUES (:workspace, :name, :version, :keyId, :nonce, :ciphertext, :createdBy, :time)
                        """)
                .bind("workspace", ref.workspace())
                .bind("name", ref.name())
                .bind("version", ref.version())
                .bind("keyId", value.keyId())
                .bind("nonce", encode(value.nonce()))
                .bind("ciphertext", encode(value.ciphertext()))
                .bind("createdBy", createdBy)
                .bind("time", time)
                .execute();
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        return Base64.getDecoder().decode(text);
    }
}
