package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Snapshot file contents on the local file system, one file per SHA-256 under
 * {@code <root>/<workspace>/<first two hex digits>/<hash>}. A blob is written to a temporary file,
 * hashed while it streams, and moved into place only when its hash is the one announced, so a
 * blob present under a name always has that content. Thread-safe.
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

    /** Stores a blob of at most {@code maxBytes}; INVALID_PARAMETER_VALUE when its content does not hash to {@code sha256}. */
    long write(String workspace, String sha256, InputStream content, long maxBytes) throws IOException {
        Path target = path(workspace, sha256);
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling(sha256 + "." + UUID.randomUUID() + ".tmp");
        MessageDigest digest = SnapshotManifest.sha256();
        long total = 0;
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                    total += read;
                    if (total > maxBytes) {
                        throw new AtelierException(ErrorCode.RESOURCE_LIMIT_EXCEEDED, "The file is larger than the snapshot limit of "
                                + maxBytes + " bytes");
                    }
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw AtelierException.invalidParameter("The uploaded content hashes to " + actual + ", not to " + sha256);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return total;
        } finally {
            Files.deleteIfExists(temporary);
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
