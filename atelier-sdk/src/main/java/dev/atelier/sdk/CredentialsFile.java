package dev.atelier.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The file {@code atelier login} writes: API tokens by server URL, as JSON
 * <pre>{@code {"servers": {"http://127.0.0.1:5000": {"token": "atl_...", "token_id": "...", "username": "ada"}}}}</pre>
 * It lives at {@code $ATELIER_CONFIG_DIR/credentials}, else {@code ~/.atelier/credentials}. On
 * POSIX file systems the folder is created {@code rwx------} and the file is always written
 * {@code rw-------}, through a temporary file moved over the old one, so a reader never sees half a
 * file and the token is never readable by others, not even for a moment. Fields this version does
 * not know are kept.
 *
 * <p>Not safe for concurrent writers (two {@code atelier login} at once: the last one wins).
 * Methods throw {@link CredentialsFileException} when the file cannot be read, parsed or written.
 */
public final class CredentialsFile {
    public static final String CONFIG_DIR_VARIABLE = "ATELIER_CONFIG_DIR";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

    private final Path path;

    private CredentialsFile(Path path) {
        this.path = requireNonNull(path, "path is null");
    }

    public static CredentialsFile at(Path path) {
        return new CredentialsFile(path);
    }

    /** The file in {@code $ATELIER_CONFIG_DIR} when that variable is set in {@code environment}, else in {@code ~/.atelier}. */
    public static CredentialsFile located(Map<String, String> environment) {
        String configDir = requireNonNull(environment, "environment is null").get(CONFIG_DIR_VARIABLE);
        Path folder = configDir != null && !configDir.isBlank()
                ? Path.of(configDir)
                : Path.of(System.getProperty("user.home"), ".atelier");
        return new CredentialsFile(folder.resolve("credentials"));
    }

    public Path path() {
        return path;
    }

    /** The token stored for the server at {@code serverUrl} (trailing slashes ignored). */
    public Optional<StoredToken> find(String serverUrl) {
        JsonNode entry = read().path("servers").path(HttpTransport.normalize(serverUrl));
        if (!entry.isObject() || !JsonFields.has(entry, "token") || JsonFields.text(entry, "token").isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new StoredToken(JsonFields.text(entry, "token"), JsonFields.text(entry, "token_id"),
                JsonFields.text(entry, "username")));
    }

    /** Stores {@code token} for {@code serverUrl}, replacing the one stored before. */
    public void store(String serverUrl, StoredToken token) {
        requireNonNull(token, "token is null");
        ObjectNode root = read();
        ObjectNode entry = servers(root).putObject(HttpTransport.normalize(serverUrl));
        entry.put("token", token.token()).put("token_id", token.tokenId()).put("username", token.username());
        write(root);
    }

    /** Removes what is stored for {@code serverUrl} and returns it; writes nothing when there was nothing. */
    public Optional<StoredToken> remove(String serverUrl) {
        Optional<StoredToken> stored = find(serverUrl);
        if (stored.isPresent()) {
            ObjectNode root = read();
            servers(root).remove(HttpTransport.normalize(serverUrl));
            write(root);
        }
        return stored;
    }

    private static ObjectNode servers(ObjectNode root) {
        JsonNode servers = root.get("servers");
        return servers instanceof ObjectNode object ? object : root.putObject("servers");
    }

    private ObjectNode read() {
        if (!Files.exists(path)) {
            return HttpTransport.mapper().createObjectNode();
        }
        try {
            JsonNode root = HttpTransport.mapper().readTree(path.toFile());
            if (root == null || root.isMissingNode()) {
                return HttpTransport.mapper().createObjectNode();
            }
            if (!root.isObject()) {
                throw new CredentialsFileException("The credentials file " + path + " is not a JSON object; fix or delete it");
            }
            return (ObjectNode) root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new CredentialsFileException("The credentials file " + path + " is not valid JSON" + where + "; fix or delete it", e);
        } catch (IOException e) {
            throw new CredentialsFileException("Cannot read the credentials file " + path + ": " + e.getMessage(), e);
        }
    }

    private void write(ObjectNode root) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path folder = path.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(folder)) {
                if (posix) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
                } else {
                    Files.createDirectories(folder);
                }
            }
            FileAttribute<?>[] ownerOnly = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                    : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(folder, ".credentials", ".tmp", ownerOnly);
            try {
                Files.write(temporary, HttpTransport.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                move(temporary);
            } finally {
                Files.deleteIfExists(temporary);
            }
            if (posix) {
                Files.setPosixFilePermissions(path, OWNER_FILE);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new CredentialsFileException("Cannot write the credentials file " + path + ": " + e.getMessage(), e);
        }
    }

    private void move(Path temporary) throws IOException {
        try {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A token as {@code atelier login} stored it.
     *
     * @param tokenId  the server's id of the token, to revoke it at logout
     * @param username whom it belongs to
     */
    public record StoredToken(String token, String tokenId, String username) {
        public StoredToken {
            requireNonNull(token, "token is null");
            requireNonNull(tokenId, "tokenId is null");
            requireNonNull(username, "username is null");
        }

        @Override
        public String toString() {
            return "StoredToken[token=***, tokenId=" + tokenId + ", username=" + username + "]";
        }
    }
}
