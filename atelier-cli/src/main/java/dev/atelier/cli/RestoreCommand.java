package dev.atelier.cli;

import dev.atelier.server.backup.Restore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code atelier restore --from <folder> --data-dir <new folder>}: restores a backup, offline (no server runs on it). */
@Command(name = "restore", description = {"Restore a backup written by 'atelier backup' into a new data directory, with "
        + "no server running on it; then start 'atelier server --data-dir <it>'.",
        "A PostgreSQL backup is loaded with pg_restore into the empty database --database-url names.",
        "The master key is restored when the backup holds it; otherwise bring the old one (master.key or ATELIER_MASTER_KEY) "
                + "before starting, or the secrets cannot be read."})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FOLDER", description = "The backup folder.")
    Path from;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The new data directory (missing or empty).")
    Path dataDir;

    @Option(names = "--artifacts-dir", paramLabel = "DIR", description = "Where the copied artifacts go (default: <data-dir>/artifacts).")
    Optional<Path> artifactsDir = Optional.empty();

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "An empty PostgreSQL database for a PostgreSQL backup.")
    Optional<String> databaseUrl = Optional.empty();

    @Override
    public Integer call() throws IOException {
        List<String> notes;
        try {
            notes = Restore.restore(from, dataDir.toAbsolutePath().normalize(), artifactsDir.map(Path::toAbsolutePath), databaseUrl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        notes.forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
