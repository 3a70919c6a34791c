package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Rules of artifacts, for the MLflow artifact proxy and for other domains: paths are user input
 * and are checked here ({@link ArtifactPath#parse}) before the repository sees them. Paths are
 * relative to the workspace's artifact root, the part of an {@code mlflow-artifacts:/} URI after
 * the scheme (a run's artifacts are under {@code <experiment_id>/<run_id>/artifacts}).
 *
 * <p>Storage failures surface as {@link UncheckedIOException} (an internal error); bad paths as
 * {@code INVALID_PARAMETER_VALUE}, missing files as {@code RESOURCE_DOES_NOT_EXIST}. Thread-safe.
 */
public final class ArtifactService implements WorkspaceParticipant {
    /** MLflow's {@code _UnsupportedMultipartUploadException.MESSAGE}; its client matches the prefix. */
    static final String MULTIPART_UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

    private final ArtifactRepository repository;

    public ArtifactService(ArtifactRepository repository) {
        this.repository = requireNonNull(repository, "repository is null");
    }

    /** Opens a file for streaming; the caller closes it. Throws {@code RESOURCE_DOES_NOT_EXIST} when absent. */
    public ArtifactContent open(String workspace, String path) {
        ArtifactPath artifactPath = ArtifactPath.parse(path);
        return io(() -> repository.open(workspace, artifactPath));
    }

    /** Stores a file from a stream, creating its folders; returns the bytes written. */
    public long write(String workspace, String path, InputStream content) {
        ArtifactPath artifactPath = ArtifactPath.parse(path);
        return io(() -> repository.write(workspace, artifactPath, content));
    }

    /**
     * Lists one level of a folder ({@code null} or empty is the workspace root), sorted by name,
     * each entry named relative to that folder; empty for a missing folder or a file.
     */
    public List<FileInfo> list(String workspace, String relativePath) {
        ArtifactPath folder = ArtifactPath.parse(relativePath);
        return io(() -> repository.list(workspace, folder));
    }

    /** Deletes a file or folder tree; deleting what is not there succeeds. */
    public void delete(String workspace, String path) {
        ArtifactPath artifactPath = requireNotRoot(ArtifactPath.parse(path), "delete");
        io(() -> {
            repository.delete(workspace, artifactPath);
            return null;
        });
    }

    /**
     * Deletes everything under {@code relativePath}, such as a garbage-collected run's
     * {@code <experiment_id>/<run_id>/artifacts}, and returns the bytes freed. The workspace root
     * itself cannot be deleted this way.
     */
    public long deletePrefix(String workspace, String relativePath) {
        ArtifactPath prefix = requireNotRoot(ArtifactPath.parse(relativePath), "delete");
        return io(() -> repository.deletePrefix(workspace, prefix));
    }

    /** The bytes stored under {@code relativePath} ({@code null} or empty: the whole workspace). */
    public long size(String workspace, String relativePath) {
        ArtifactPath prefix = ArtifactPath.parse(relativePath);
        return io(() -> repository.size(workspace, prefix));
    }

    /**
     * Starts a multipart upload when the repository supports one. Otherwise answers as MLflow's
     * server does for its local store: {@code NOT_IMPLEMENTED} with MLflow's exact message, on which
     * the Python client falls back to one plain PUT. An upload id without presigned URLs would be
     * worse: the client would upload no part and complete an empty file.
     */
    public MultipartArtifactRepository.MultipartUpload createMultipartUpload(
            String workspace, String path, String localFile, long numParts) {
        ArtifactPath artifactPath = requireNotRoot(ArtifactPath.parse(path), "upload");
        return multipart().createMultipartUpload(workspace, artifactPath, localFile, numParts);
    }

    /** Completes a multipart upload; {@code NOT_IMPLEMENTED} when the repository has none. */
    public void completeMultipartUpload(String workspace, String path, String localFile, String uploadId,
                                        List<MultipartArtifactRepository.Part> parts) {
        ArtifactPath artifactPath = requireNotRoot(ArtifactPath.parse(path), "upload");
        multipart().completeMultipartUpload(workspace, artifactPath, localFile, uploadId, parts);
    }

    /** Aborts a multipart upload; {@code NOT_IMPLEMENTED} when the repository has none. */
    public void abortMultipartUpload(String workspace, String path, String localFile, String uploadId) {
        ArtifactPath artifactPath = requireNotRoot(ArtifactPath.parse(path), "upload");
        multipart().abortMultipartUpload(workspace, artifactPath, localFile, uploadId);
    }

    private MultipartArtifactRepository multipart() {
        if (repository instanceof MultipartArtifactRepository multipart) {
            return multipart;
        }
        throw new AtelierException(ErrorCode.NOT_IMPLEMENTED, MULTIPART_UNSUPPORTED);
    }

    @Override
    public void workspaceCreated(String workspace) {
        // A workspace's folder appears with its first artifact.
    }

    /** Artifacts alone do not keep a workspace from being deleted: they belong to runs and models. */
    @Override
    public boolean holdsData(String workspace) {
        return false;
    }

    @Override
    public void workspaceDeleted(String workspace) {
        io(() -> {
            repository.deleteWorkspace(workspace);
            return null;
        });
    }

    private static ArtifactPath requireNotRoot(ArtifactPath path, String action) {
        if (path.isRoot()) {
            throw AtelierException.invalidParameter("An artifact path is required to " + action + " artifacts");
        }
        return path;
    }

    private static <T> T io(StorageCall<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new UncheckedIOException("artifact storage failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface StorageCall<T> {
        T run() throws IOException;
    }
}
