package dev.atelier.server.backup;

import dev.atelier.server.artifacts.S3Bucket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static java.util.Objects.requireNonNull;

/**
 * Where a backup is written: a folder on the server's host, or a prefix of an S3 bucket reached with the artifact store's
 * client and credentials. Files are named by relative, slash-separated paths ({@code atelier.db}, {@code artifacts/...}).
 * Not thread-safe: one backup writes one destination from one thread.
 */
sealed interface BackupDestination extends AutoCloseable permits BackupDestination.Folder, BackupDestination.S3 {
    /** Writes {@code content} as {@code relative}. */
    void write(String relative, InputStream content) throws IOException;

    /** Copies the file {@code source} as {@code relative}. */
    default void copy(String relative, Path source) throws IOException {
        try (InputStream content = Files.newInputStream(source)) {
            write(relative, content);
        }
    }

    /** The destination as the operator wrote it, for the report. */
    String describe();

    @Override
    void close();

    /** A folder on the server's host; its parent folders are created. */
    record Folder(Path root) implements BackupDestination {
        public Folder {
            requireNonNull(root, "root is null");
        }

        @Override
        public void write(String relative, InputStream content) throws IOException {
            Path target = root.resolve(relative);
            Files.createDirectories(target.getParent());
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void copy(String relative, Path source) throws IOException {
            Path target = root.resolve(relative);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public String describe() {
            return root.toString();
        }

        @Override
        public void close() {
        }
    }

    /** A prefix of a bucket ({@code s3://bucket/prefix}); the bucket client is closed with the destination. */
    record S3(S3Bucket bucket) implements BackupDestination {
        public S3 {
            requireNonNull(bucket, "bucket is null");
        }

        @Override
        public void write(String relative, InputStream content) throws IOException {
            bucket.put(relative, content);
        }

        @Override
        public String describe() {
            return bucket.settings().displayUri();
        }

        @Override
        public void close() {
            bucket.close();
        }
    }
}
