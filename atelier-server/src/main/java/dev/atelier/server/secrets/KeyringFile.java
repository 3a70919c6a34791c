package dev.atelier.server.secrets;

import dev.atelier.server.store.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The key file {@code <data-dir>/master.key}: one base64 key per line, the current key first, older
 * keys after it only while a rotation is in progress; lines starting with {@code #} are comments.
 *
 * <p>The file is only ever replaced whole: a new version is written to a temporary file with
 * owner-only permissions ({@code rw-------}), synced, then renamed over the old one, so a reader
 * (or a restart after a crash) sees either the old or the new keyring, never half of one. The first
 * file is published with a hard link, which fails when another process created it first. Not
 * thread-safe; {@link MasterKeys} serializes writes.
 */
final class KeyringFile {
    static final String FILE_NAME = "master.key";
    private static final Logger LOG = LoggerFactory.getLogger(KeyringFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String HEADER = """
            # Atelier master keys. The first line encrypts secrets; any further line is an older key kept
            # only until a rotation finishes. Keep this file secret and back it up: without it the
            # secrets in the database cannot be read.
            """;

    private final Path file;

    KeyringFile(Path file) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
    }

    Path path() {
        return file;
    }

    /** Reads the keyring, first creating the file with a new random key when there is none. */
    Keyring loadOrCreate() {
        if (!Files.exists(file)) {
            Keyring created = Keyring.of(MasterKey.generate());
            Path temporary = writeTemporary(created);
            try {
                Files.createLink(file, temporary);
                syncDirectory();
                LOG.info("Created the master key file {} (owner-only permissions); back it up with the database", file);
                return created;
            } catch (FileAlreadyExistsException e) {
                // Another process created it first: use its key.
            } catch (UnsupportedOperationException | IOException e) {
                moveInPlace(temporary);
                return created;
            } finally {
                deleteQuietly(temporary);
            }
        }
        return read();
    }

    Keyring read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key file " + file + ": " + e.getMessage(), e);
        }
        warnIfOthersCanRead();
        List<MasterKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                keys.add(MasterKey.fromBase64(line, "line " + (i + 1) + " of the master key file " + file));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the master key file " + file + " holds no key");
        }
        return new Keyring(keys);
    }

    /** Replaces the file with {@code keyring} atomically. */
    void replace(Keyring keyring) {
        Path temporary = writeTemporary(keyring);
        try {
            moveInPlace(temporary);
        } finally {
            deleteQuietly(temporary);
        }
    }

    private Path writeTemporary(Keyring keyring) {
        StringBuilder text = new StringBuilder(HEADER);
        keyring.keys().forEach(key -> text.append(key.toBase64()).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".master.key-", ".tmp", ownerOnly());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            return temporary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private void moveInPlace(Path temporary) {
        try {
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes the rename durable; not every platform can open a folder, which is then skipped. */
    private void syncDirectory() {
        try {
            DurableFiles.syncFolder(file.getParent());
        } catch (IOException e) {
            LOG.debug("cannot sync folder {}: {}", file.getParent(), e.toString());
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return isPosix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private static boolean isPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private void warnIfOthersCanRead() {
        if (!isPosix()) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                LOG.warn("The master key file {} can be read by others ({}); restrict it with chmod 600", file,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (IOException e) {
            LOG.debug("cannot read the permissions of {}: {}", file, e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot delete the temporary key file {}: {}", path, e.toString());
        }
    }
}
