package dev.atelier.server.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where artifact bytes live: a local folder now, an S3-compatible bucket later. Every operation
 * addresses one workspace and a path relative to that workspace's root that
 * {@link ArtifactPath#parse} has already checked; implementations confine it further where their
 * storage can point elsewhere (symbolic links on disk). Bytes pass through as streams, never whole
 * in memory. Implementations are thread-safe.
 *
 * <p>A folder exists only through the files below it, as in an object store: there is no
 * "create folder", and an implementation may or may not keep a folder once it is empty.
 */
public interface ArtifactRepository {
    /**
     * Opens a file for reading; the caller closes the returned content.
     *
     * @throws dev.atelier.api.AtelierException {@code RESOURCE_DOES_NOT_EXIST} when no file is at {@code path}
     */
    ArtifactContent open(String workspace, ArtifactPath path) throws IOException;

    /**
     * Stores {@code content} at {@code path}, replacing any file there, and returns the number of
     * bytes written. Atomic: readers see the old file or the whole new one, and a failed upload
     * leaves nothing behind. Reads {@code content} to its end but does not close it.
     *
     * @throws dev.atelier.api.AtelierException {@code INVALID_PARAMETER_VALUE} when {@code path} is
     *         the root or a folder, or a file stands where a parent folder must go
     */
    long write(String workspace, ArtifactPath path, InputStream content) throws IOException;

    /**
     * Lists one level of the folder at {@code folder}, sorted by name; entries carry their names
     * relative to {@code folder}. Empty when {@code folder} is missing or is a file.
     */
    List<FileInfo> list(String workspace, ArtifactPath folder) throws IOException;

    /** Deletes the file or the folder tree at {@code path}; nothing happens when nothing is there. */
    void delete(String workspace, ArtifactPath path) throws IOException;

    /**
     * Deletes everything at and below {@code prefix} (a run's artifact root when a run is
     * garbage-collected) and returns the number of bytes freed.
     */
    long deletePrefix(String workspace, ArtifactPath prefix) throws IOException;

    /** The total size in bytes of the files at and below {@code prefix}; 0 when nothing is there. */
    long size(String workspace, ArtifactPath prefix) throws IOException;

    /** Removes every artifact of the workspace; used when the workspace is deleted. */
    void deleteWorkspace(String workspace) throws IOException;

    /**
     * The artifact path that the local file {@code absolute} is, when it lies inside the
     * workspace's folder of this repository; empty when it does not or when the repository is not
     * a local folder (the default).
     */
    default Optional<ArtifactPath> locate(String workspace, Path absolute) {
        return Optional.empty();
    }

    /**
     * The local file that holds {@code path}, for reading it in place instead of copying it (batch scoring's input):
     * present when this repository is a local folder and a file is there; empty otherwise (the default). Read-only:
     * never write, move or delete through it.
     */
    default Optional<Path> localFile(String workspace, ArtifactPath path) throws IOException {
        return Optional.empty();
    }
}
