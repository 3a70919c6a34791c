package dev.atelier.server.data;

import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of one datastore, opened for one use and closed after it. Paths are relative to the
 * datastore's root and already checked by {@link ArtifactPath#parse} (no {@code ..}, no absolute
 * paths); implementations confine them further where storage can point elsewhere (links on disk).
 * Bytes stream through, never whole in memory.
 */
public interface DatastoreFiles extends AutoCloseable {
    /**
     * Opens a file; the caller closes it.
     *
     * @throws dev.atelier.api.AtelierException {@code RESOURCE_DOES_NOT_EXIST} when no file is there
     */
    ArtifactContent open(ArtifactPath path) throws IOException;

    /** Stores a file, whole or not at all, and returns its length. */
    long write(ArtifactPath path, InputStream content) throws IOException;

    /**
     * The files at or below {@code path} (the file itself when {@code path} is a file), with their
     * paths relative to the datastore root, sorted; empty when nothing is there.
     */
    List<FileInfo> listFiles(ArtifactPath path) throws IOException;

    /**
     * The local file holding {@code path} when the datastore is a local folder (read it in place, never write through it);
     * empty otherwise.
     */
    default Optional<Path> localFile(ArtifactPath path) throws IOException {
        return Optional.empty();
    }

    /** Deletes the file or tree at {@code path}. */
    void delete(ArtifactPath path) throws IOException;

    @Override
    void close();
}
