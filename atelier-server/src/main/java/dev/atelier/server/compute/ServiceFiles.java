package dev.atelier.server.compute;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A folder of files a service workload reads, named {@code name}: it finds it at {@code {folder:<name>}}
 * ({@link ServiceSpec}). A backend on the server's host mounts {@code local} (a folder the domain filled) read-only;
 * a backend elsewhere fetches {@code remote} into the folder before the workload starts, and refuses files without it.
 * <p>
 * {@code writable} files are a folder the workload keeps its own work in (a notebook server's files): on the server's
 * host {@code local} is bound read-write (and handed to the workload's user), so what it writes outlives the workload;
 * a backend elsewhere gives it an empty folder of the pod's own (lost with the pod) unless {@code remote} fills it.
 */
public record ServiceFiles(String name, Optional<Path> local, Optional<Remote> remote, boolean writable) {
    /** Files the workload only reads. */
    public ServiceFiles(String name, Optional<Path> local, Optional<Remote> remote) {
        this(name, local, remote, false);
    }

    /** A folder on the server's host the workload writes in, kept after it ends. */
    public static ServiceFiles writable(String name, Path local) {
        return new ServiceFiles(name, Optional.of(local), Optional.empty(), true);
    }

    public ServiceFiles {
        requireNonNull(name, "name is null");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a files name is lowercase letters, digits and '-': " + name);
        }
        local = requireNonNull(local, "local is null").map(path -> path.toAbsolutePath().normalize());
        requireNonNull(remote, "remote is null");
    }

    /** How a remote workload gets the files. Paths are below the workspace's base URL, fetched with the workload's token. */
    public sealed interface Remote {
        /** A path answering a zip of the folder. */
        record Zip(String path) implements Remote {
            public Zip {
                requireNonNull(path, "path is null");
            }
        }

        /** Each file of {@code files} (relative paths) fetched from {@code basePath/<file>}. */
        record Listed(String basePath, List<String> files) implements Remote {
            public Listed {
                requireNonNull(basePath, "basePath is null");
                files = List.copyOf(files);
            }
        }

        /** One small text file, shipped with the workload's description (no download). */
        record Text(String file, String content) implements Remote {
            public Text {
                requireNonNull(file, "file is null");
                requireNonNull(content, "content is null");
            }
        }
    }
}
