package dev.atelier.server.backup;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.S3Bucket;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.config.Version;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Backs up a running server (docs/operations.md, "Backup and restore"): first a consistent copy of the database
 * ({@link DatabaseDump}), then the files it refers to — the local artifact store, code snapshots, the data directory's
 * local datastores — then {@code manifest.json}. Files are copied after the database, so every file the copy refers to
 * is there (files written meanwhile are extra, and harmless). Artifacts in S3 are referenced by URI, not copied. The
 * master key is copied only when asked, since a backup with its key reads every secret.
 *
 * <p>One backup at a time per server (a second one is refused with RESOURCE_CONFLICT). Thread-safe.
 */
public final class BackupService {
    /** The data directory's key file (the secrets domain's {@code KeyringFile}). */
    static final String MASTER_KEY_FILE = "master.key";
    /** Folders of the data directory that hold state besides the database and the artifacts. */
    static final List<String> DATA_FOLDERS = List.of("snapshots", "datastores");
    static final String ARTIFACTS_FOLDER = "artifacts";

    private final Database database;
    private final Optional<String> databaseUrl;
    private final Path dataDir;
    private final Optional<Path> localArtifacts;
    private final Optional<S3Settings> artifactsS3;
    private final boolean keyFromEnvironment;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    /**
     * @param localArtifacts     the local artifact folder; empty when artifacts live in {@code artifactsS3}
     * @param keyFromEnvironment whether the master key comes from {@code ATELIER_MASTER_KEY} (no key file to copy)
     */
    public BackupService(Database database, Optional<String> databaseUrl, Path dataDir, Optional<Path> localArtifacts,
                         Optional<S3Settings> artifactsS3, boolean keyFromEnvironment, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.databaseUrl = requireNonNull(databaseUrl, "databaseUrl is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null").toAbsolutePath().normalize();
        this.localArtifacts = requireNonNull(localArtifacts, "localArtifacts is null").map(path -> path.toAbsolutePath().normalize());
        this.artifactsS3 = requireNonNull(artifactsS3, "artifactsS3 is null");
        this.keyFromEnvironment = keyFromEnvironment;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Writes a backup to {@code to}: an absolute folder on the server's host (missing or empty, outside the data and
     * artifact folders) or {@code s3://bucket/prefix} when the artifact store is S3 (same endpoint and credentials).
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming {@code to} for a destination it cannot use,
     *                          RESOURCE_CONFLICT while another backup runs
     */
    public BackupManifest backup(String to, boolean includeMasterKey) {
        requireNonNull(to, "to is null");
        if (!running.tryLock()) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "A backup is already running on this server; try again when it finished");
        }
        try (BackupDestination destination = open(to.strip())) {
            return write(destination, includeMasterKey);
        } catch (IOException e) {
            throw new AtelierException(ErrorCode.INTERNAL_ERROR, "The backup to " + to + " failed: " + e, e);
        } finally {
            running.unlock();
        }
    }

    private BackupManifest write(BackupDestination destination, boolean includeMasterKey) throws IOException {
        long createdAt = clock.millis();
        Path staging = destination instanceof BackupDestination.Folder folder ? folder.root()
                : Files.createTempDirectory("atelier-backup");
        try {
            Path dump = DatabaseDump.dump(database, databaseUrl, staging);
            if (!(destination instanceof BackupDestination.Folder)) {
                destination.copy(dump.getFileName().toString(), dump);
            }
        } finally {
            if (!(destination instanceof BackupDestination.Folder)) {
                try (Stream<Path> left = Files.list(staging)) {
                    left.forEach(DatabaseDump::deleteIfExists);
                }
                DatabaseDump.deleteIfExists(staging);
            }
        }
        long[] copied = new long[2];
        List<Source> sources = new ArrayList<>();
        localArtifacts.ifPresent(folder -> sources.add(new Source(ARTIFACTS_FOLDER, folder)));
        DATA_FOLDERS.forEach(name -> sources.add(new Source(name, dataDir.resolve(name))));
        for (Source source : sources) {
            copyTree(source, destination, copied);
        }
        String masterKey = keyFromEnvironment ? BackupManifest.KEY_FROM_ENVIRONMENT : BackupManifest.KEY_NOT_INCLUDED;
        if (includeMasterKey && !keyFromEnvironment && Files.isRegularFile(dataDir.resolve(MASTER_KEY_FILE))) {
            destination.copy(MASTER_KEY_FILE, dataDir.resolve(MASTER_KEY_FILE));
            masterKey = BackupManifest.KEY_INCLUDED;
        }
        BackupManifest manifest = new BackupManifest(Version.current(), createdAt,
                database.dialect() == Database.Dialect.SQLITE ? "sqlite" : "postgresql",
                artifactsS3.map(settings -> "s3://" + settings.bucket() + (settings.prefix().isEmpty() ? "" : "/" + settings.prefix()))
                        .orElse(BackupManifest.COPIED),
                masterKey, copied[0], copied[1]);
        destination.write(BackupManifest.FILE_NAME, new java.io.ByteArrayInputStream(Json.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(manifest)));
        return manifest;
    }

    private record Source(String name, Path folder) {
    }

    /** Copies every regular file below the source; a file deleted meanwhile (gc) is skipped. */
    private static void copyTree(Source source, BackupDestination destination, long[] copied) throws IOException {
        if (!Files.isDirectory(source.folder())) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source.folder())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String relative = source.name() + "/" + source.folder().relativize(file).toString().replace(file.getFileSystem()
                    .getSeparator(), "/");
            try {
                long size = Files.size(file);
                destination.copy(relative, file);
                copied[0]++;
                copied[1] += size;
            } catch (NoSuchFileException e) {
                // removed since the listing: the database copy may still name it only if it was deleted after the copy
            }
        }
    }

    private BackupDestination open(String to) {
        if (to.startsWith("s3://")) {
            S3Settings artifacts = artifactsS3.orElseThrow(() -> AtelierException.invalidParameter(
                    "to: s3:// backups need the server's artifact store on S3 (its endpoint and credentials are used); "
                            + "give a folder on the server's host instead"));
            S3Settings parsed;
            try {
                parsed = S3Settings.fromUri(to, java.util.Map.of());
            } catch (IllegalArgumentException e) {
                throw AtelierException.invalidParameter("to: " + e.getMessage());
            }
            if (parsed.prefix().isEmpty()) {
                throw AtelierException.invalidParameter("to: give a prefix for the backup, such as s3://" + parsed.bucket()
                        + "/backups/2026-12-08");
            }
            S3Settings target = new S3Settings(artifacts.endpoint(), artifacts.region(), parsed.bucket(), parsed.prefix(),
                    artifacts.pathStyle(), artifacts.accessKeyId(), artifacts.secretAccessKey());
            if (target.bucket().equals(artifacts.bucket()) && (artifacts.prefix().isEmpty()
                    || (target.prefix() + "/").startsWith(artifacts.prefix() + "/"))) {
                throw AtelierException.invalidParameter("to: " + to + " is inside the artifact store (" + artifacts.displayUri()
                        + "); give a prefix outside it");
            }
            S3Bucket bucket = S3Bucket.open(target);
            try {
                if (bucket.hasChildren("")) {
                    throw AtelierException.invalidParameter("to: " + to + " already holds objects; give an empty prefix");
                }
            } catch (IOException e) {
                bucket.close();
                throw new AtelierException(ErrorCode.INTERNAL_ERROR, "Cannot list " + to + ": " + e, e);
            } catch (RuntimeException e) {
                bucket.close();
                throw e;
            }
            return new BackupDestination.S3(bucket);
        }
        Path folder;
        try {
            folder = Path.of(to);
        } catch (java.nio.file.InvalidPathException e) {
            throw AtelierException.invalidParameter("to: not a path: " + e.getMessage());
        }
        if (!folder.isAbsolute()) {
            throw AtelierException.invalidParameter("to: give an absolute folder on the server's host, not " + to);
        }
        folder = folder.normalize();
        if (folder.startsWith(dataDir) || localArtifacts.map(folder::startsWith).orElse(false)) {
            throw AtelierException.invalidParameter("to: " + folder + " is inside the server's data or artifact folder; "
                    + "give a folder outside them");
        }
        try {
            if (Files.exists(folder)) {
                if (!Files.isDirectory(folder)) {
                    throw AtelierException.invalidParameter("to: " + folder + " is a file, not a folder");
                }
                try (Stream<Path> entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        throw AtelierException.invalidParameter("to: " + folder + " is not empty; give a new or empty folder");
                    }
                }
            }
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw AtelierException.invalidParameter("to: cannot create " + folder + ": " + e.getMessage());
        }
        return new BackupDestination.Folder(folder);
    }
}
