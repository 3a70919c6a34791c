package dev.atelier.server.backup;

import dev.atelier.server.http.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Restores a backup folder written by {@link BackupService} into a new data directory, with no server running on it
 * ({@code atelier restore}): the SQLite file, or the PostgreSQL dump loaded with {@code pg_restore} into the (empty)
 * database {@code --database-url} names; the copied artifacts (into {@code artifactsDir}, else the data directory's
 * {@code artifacts/}), code snapshots and local datastores; and {@code master.key} when the backup holds it. Returns
 * what the operator must still do, such as bring the master key. Stateless.
 */
public final class Restore {
    private Restore() {
    }

    /**
     * @param databaseUrl a {@code jdbc:postgresql://} URL; needed for (and only for) a PostgreSQL backup
     * @return notes for the operator, one line each (what was restored, what is left to do)
     * @throws IllegalArgumentException for a folder that is not a complete backup, a data directory that is not empty,
     *                                  or a missing or superfluous database URL
     */
    public static List<String> restore(Path from, Path dataDir, Optional<Path> artifactsDir, Optional<String> databaseUrl)
            throws IOException {
        requireNonNull(from, "from is null");
        requireNonNull(dataDir, "dataDir is null");
        Path manifestFile = from.resolve(BackupManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException(from + " is not a complete backup: it has no " + BackupManifest.FILE_NAME
                    + " (written last by 'atelier backup')");
        }
        BackupManifest manifest = Json.mapper().readValue(manifestFile.toFile(), BackupManifest.class);
        refuseNonEmpty(dataDir, "--data-dir");
        artifactsDir.ifPresent(folder -> refuseNonEmpty(folder, "--artifacts-dir"));
        boolean postgres = "postgresql".equals(manifest.database());
        if (postgres && databaseUrl.isEmpty()) {
            throw new IllegalArgumentException("The backup holds a PostgreSQL dump: give --database-url of an empty database to load it into");
        }
        if (!postgres && databaseUrl.isPresent()) {
            throw new IllegalArgumentException("The backup holds a SQLite database, restored into --data-dir: leave out --database-url");
        }
        List<String> notes = new ArrayList<>();
        Files.createDirectories(dataDir);
        if (postgres) {
            DatabaseDump.restorePostgres(from.resolve(DatabaseDump.POSTGRES_FILE), databaseUrl.orElseThrow());
            notes.add("Loaded the PostgreSQL dump into the database.");
        } else {
            Files.copy(from.resolve(DatabaseDump.SQLITE_FILE), dataDir.resolve(DatabaseDump.SQLITE_FILE));
            notes.add("Restored the database into " + dataDir.resolve(DatabaseDump.SQLITE_FILE) + ".");
        }
        Path artifacts = artifactsDir.orElse(dataDir.resolve(BackupService.ARTIFACTS_FOLDER));
        long files = copyTree(from.resolve(BackupService.ARTIFACTS_FOLDER), artifacts);
        for (String folder : BackupService.DATA_FOLDERS) {
            files += copyTree(from.resolve(folder), dataDir.resolve(folder));
        }
        notes.add("Restored " + files + " files (artifacts, code snapshots, local datastores).");
        manifest.referencedArtifacts().ifPresent(uri -> notes.add("Artifacts were not copied: they stay in " + uri
                + "; start the server with --artifacts-uri " + uri + "."));
        notes.add(masterKeyNote(manifest, from, dataDir));
        return notes;
    }

    private static String masterKeyNote(BackupManifest manifest, Path from, Path dataDir) throws IOException {
        return switch (manifest.masterKey()) {
            case BackupManifest.KEY_INCLUDED -> {
                Files.copy(from.resolve(BackupService.MASTER_KEY_FILE), dataDir.resolve(BackupService.MASTER_KEY_FILE));
                yield "Restored the master key into " + dataDir.resolve(BackupService.MASTER_KEY_FILE) + ".";
            }
            case BackupManifest.KEY_FROM_ENVIRONMENT -> "The backed-up server took its master key from ATELIER_MASTER_KEY: "
                    + "start this one with the same ATELIER_MASTER_KEY, or its secrets cannot be read.";
            default -> "The backup holds no master key: copy the old data directory's " + BackupService.MASTER_KEY_FILE + " to "
                    + dataDir.resolve(BackupService.MASTER_KEY_FILE) + " (or set ATELIER_MASTER_KEY) before starting the server; "
                    + "a server started without it creates a new key and cannot read the secrets.";
        };
    }

    private static void refuseNonEmpty(Path folder, String option) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(option + " " + folder + " is not empty: restore into a new folder");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + folder + " cannot be read: " + e.getMessage());
        }
    }

    private static long copyTree(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path destination = target.resolve(source.relativize(file).toString());
            Files.createDirectories(destination.getParent());
            Files.copy(file, destination);
        }
        return files.size();
    }
}
