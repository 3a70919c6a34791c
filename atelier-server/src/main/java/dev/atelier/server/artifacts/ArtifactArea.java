package dev.atelier.server.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static java.util.Objects.requireNonNull;

/**
 * A top-level folder of every workspace's artifact root that one domain owns (the model registry's
 * {@code registry/}). The artifact API reads it like any other folder but cannot change it; only
 * the holder of this object writes and deletes there. Paths given here are relative to the folder
 * and checked like any artifact path. Storage failures surface as {@link UncheckedIOException}.
 * Thread-safe.
 */
public final class ArtifactArea {
    private final ArtifactRepository repository;
    private final ArtifactPath folder;

    ArtifactArea(ArtifactRepository repository, ArtifactPath folder) {
        this.repository = requireNonNull(repository, "repository is null");
        this.folder = requireNonNull(folder, "folder is null");
    }

    /** The area's folder, relative to a workspace's artifact root ({@code registry}). */
    public String folder() {
        return folder.value();
    }

    /** The path of {@code relativePath} relative to the workspace's artifact root, as the artifact API reads it. */
    public String workspacePath(String relativePath) {
        return folder.resolve(ArtifactPath.parse(relativePath)).value();
    }

    /** Stores a file at {@code relativePath} inside the area, replacing any; returns the bytes written. */
    public long write(String workspace, String relativePath, InputStream content) {
        ArtifactPath path = inside(relativePath);
        try {
            return repository.write(workspace, path, content);
        } catch (IOException e) {
            throw new UncheckedIOException("artifact storage failed: " + e.getMessage(), e);
        }
    }

    /** Deletes everything at and below {@code relativePath} inside the area; returns the bytes freed. */
    public long deletePrefix(String workspace, String relativePath) {
        ArtifactPath path = inside(relativePath);
        try {
            return repository.deletePrefix(workspace, path);
        } catch (IOException e) {
            throw new UncheckedIOException("artifact storage failed: " + e.getMessage(), e);
        }
    }

    private ArtifactPath inside(String relativePath) {
        ArtifactPath path = ArtifactPath.parse(relativePath);
        if (path.isRoot()) {
            throw new IllegalArgumentException("a path inside the area is required");
        }
        return folder.resolve(path);
    }
}
