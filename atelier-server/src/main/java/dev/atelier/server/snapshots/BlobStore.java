package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.DurableFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Snapshot file contents on the local file system, one file per SHA-256 under
 * {@code <root>/<workspace>/<first two hex digits>/<hash>}. A blob is written to a temporary file,
 * hashed while it streams, and moved into place only when its hash is the one announced, so a
 * blob present under a name always has that content; its content is synced before the rename and the folder after
 * it, so that this holds across a power loss too ({@link #exists} trusts the name). Thread-safe.
 */
final class BlobStore {
    private static final int BUFFER_BYTES = 128 * 1024;

    private final Path root;

    BlobStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath();
    }

    Path path(String workspace, String sha256) {
        return root.resolve(workspace).resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    boolean exists(String workspace, String sha256) {
        return Files.isRegularFile(path(workspace, sha256));
    }

    /**
     * Stores a blob of at most {@code maxBytes}, throwing {@code tooLarge}'s exception (nothing stored) past it;
     * INVALID_PARAMETER_VALUE when its content does not hash to {@code sha256}.
     */
    long write(String workspace, String sha256, InputStream content, long maxBytes, Supplier<AtelierException> tooLarge)
            throws IOException {
        Staged staged = stage(workspace, sha256, content, maxBytes, tooLarge);
        try {
            install(staged);
        } finally {
            discard(staged);
        }
        return staged.sizeBytes();
    }

    /**
     * A verified blob written to a temporary file beside its place, not yet visible under its hash:
     * {@link #install} moves it into place, {@link #discard} deletes what was not installed.
     */
    record Staged(String sha256, Path temporary, Path target, long sizeBytes) {
    }

    /**
     * Writes a blob of at most {@code maxBytes} to a temporary file, throwing {@code tooLarge}'s exception
     * (nothing kept) past it; INVALID_PARAMETER_VALUE when its content does not hash to {@code sha256}.
     */
    Staged stage(String workspace, String sha256, InputStream content, long maxBytes, Supplier<AtelierException> tooLarge)
            throws IOException {
        Path target = path(workspace, sha256);
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling(sha256 + "." + UUID.randomUUID() + ".tmp");
        MessageDigest digest = SnapshotManifest.sha256();
        long total = 0;
        boolean staged = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                    total += read;
                    if (total > maxBytes) {
                        throw tooLarge.get();
                    }
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
                out.flush();
                channel.force(true); // synced before it gets its name: a blob under a name always has its content
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw AtelierException.invalidParameter("The uploaded content hashes to " + actual + ", not to " + sha256);
            }
            staged = true;
            return new Staged(sha256, temporary, target, total);
        } finally {
            if (!staged) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Moves a staged blob into place (atomically, replacing the same content if present), durably. */
    void install(Staged staged) throws IOException {
        Files.move(staged.temporary(), staged.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncFolder(staged.target().getParent());
    }

    /** Deletes a staged blob's temporary file if it was not installed; idempotent. */
    void discard(Staged staged) throws IOException {
        Files.deleteIfExists(staged.temporary());
    }

    /**
     * Removes a blob whose row the sweep deleted, unless {@code stillWanted} says otherwise once the
     * file is out of the way: the file is first moved aside (atomically), then {@code stillWanted} is
     * asked (has a row appeared again: an upload or a snapshot touched the hash meanwhile?), and the
     * file is put back when it is wanted, or deleted. An upload or a snapshot touches the row before
     * it writes or checks the file, so a blob a snapshot can refer to is never lost. Returns whether
     * the file was removed. Idempotent: a blob already gone is not an error.
     */
    boolean expire(String workspace, String sha256, BooleanSupplier stillWanted) throws IOException {
        Path target = path(workspace, sha256);
        Path aside = target.resolveSibling(sha256 + "." + UUID.randomUUID() + ".expired");
        try {
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (stillWanted.getAsBoolean()) {
            try {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                Files.deleteIfExists(aside);  // uploaded again meanwhile: the same content is in place
            }
            return false;
        }
        Files.deleteIfExists(aside);
        return true;
    }

    /** A file in a workspace's blob folder: a blob (named by its hash) or a leftover of a failed write or sweep. */
    record StoredFile(String workspace, String name, long sizeBytes) {
        boolean leftover() {
            return name.endsWith(".tmp") || name.endsWith(".expired");
        }
    }

    /** The files of one workspace's (or every workspace's) blob folders not modified since before {@code before}. */
    List<StoredFile> unchangedSince(Optional<String> workspace, long before) throws IOException {
        List<StoredFile> found = new ArrayList<>();
        for (Path folder : workspace.map(name -> List.of(root.resolve(name))).orElseGet(() -> folders(root))) {
            for (Path prefix : folders(folder)) {
                try (java.util.stream.Stream<Path> files = Files.list(prefix)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        if (attributes.lastModifiedTime().toMillis() < before) {
                            found.add(new StoredFile(folder.getFileName().toString(), file.getFileName().toString(), attributes.size()));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Deletes a leftover file (a temporary or set-aside copy); idempotent. */
    void deleteLeftover(StoredFile file) throws IOException {
        Files.deleteIfExists(root.resolve(file.workspace()).resolve(file.name().substring(0, 2)).resolve(file.name()));
    }

    private static List<Path> folders(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    InputStream open(String workspace, String sha256) throws IOException {
        return Files.newInputStream(path(workspace, sha256));
    }

    void deleteWorkspace(String workspace) throws IOException {
        Path folder = root.resolve(workspace);
        if (!Files.exists(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Copies a blob to {@code target}, creating its folders. */
    void copyTo(String workspace, String sha256, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(path(workspace, sha256), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
