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
 * Files {@code kept} under a key are a folder the workload keeps its own work in (a notebook server's files), which
 * outlives the workload and is found again by the next workload given the same key: on the server's host {@code local}
 * is bound read-write (and handed to the workload's user); a backend elsewhere keeps a volume of its own per key (a
 * Kubernetes PersistentVolumeClaim), created by the first workload and never deleted with one.
 */
public record ServiceFiles(String name, Optional<Path> local, Optional<Remote> remote, Optional<String> kept) {
    /** Files the workload only reads. */
    public ServiceFiles(String name, Optional<Path> local, Optional<Remote> remote) {
        this(name, local, remote, Optional.empty());
    }

    /**
     * A folder the workload writes in, kept after it ends: {@code local} on the server's host, and elsewhere the
     * backend's own volume for {@code key} (the same key finds the same files; distinct owners need distinct keys).
     */
    public static ServiceFiles kept(String name, Path local, String key) {
        return new ServiceFiles(name, Optional.of(local), Optional.empty(), Optional.of(key));
    }

    /** Whether the workload writes in these files ({@link #kept}). */
    public boolean writable() {
        return kept.isPresent();
    }

    public ServiceFiles {
        requireNonNull(name, "name is null");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a files name is lowercase letters, digits and '-': " + name);
        }
        local = requireNonNull(local, "local is null").map(path -> path.toAbsolutePath().normalize());
        requireNonNull(remote, "remote is null");
        requireNonNull(kept, "kept is null");
        if (kept.isPresent() && (kept.get().isBlank() || remote.isPresent())) {
            throw new IllegalArgumentException("kept files have a key and no remote form: " + name);
        }
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
