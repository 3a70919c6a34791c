package dev.atelier.server.compute.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder chores of the local backend's workloads. Stateless. */
final class Folders {
    private Folders() {
    }

    /**
     * Deletes a workload's folder and everything in it, as far as it can: a folder left behind costs disk space only,
     * and the next workload of that name starts by deleting it.
     */
    static void deleteQuietly(Path folder) {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // see above
        }
    }
}
