package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.uploads.InsufficientStorage;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

    private static final String SCHEME = "mlflow-artifacts:";

    private final ArtifactRepository repository;
    /** Top-level folders that a domain owns ({@link #reserve}); the artifact API does not change them. */
    private final Map<String, String> reservedFolders = new ConcurrentHashMap<>();

    public ArtifactService(ArtifactRepository repository) {
        this.repository = requireNonNull(repository, "repository is null");
    }

    /** The store itself, for domains that keep their own files in an area of it no workspace can name (snapshot blobs). */
    public ArtifactRepository repository() {
        return repository;
    }

    /**
     * Gives {@code folder} (one top-level name, such as {@code registry}) of every workspace to
     * {@code owner} (named in error messages, such as "the model registry"): from now on
     * {@link #write}, {@link #delete} and multipart uploads there are refused with PERMISSION_DENIED, {@link #deletePrefix} leaves it alone, and only the returned area
     * changes it. Reading and listing stay open, so MLflow clients download through the proxy.
     */
    public ArtifactArea reserve(String folder, String owner) {
        ArtifactPath path = ArtifactPath.parse(folder);
        if (path.isRoot() || path.value().contains("/")) {
            throw new IllegalArgumentException("a reserved folder is one top-level name: " + folder);
        }
        if (reservedFolders.putIfAbsent(path.value(), requireNonNull(owner, "owner is null")) != null) {
            throw new IllegalStateException("folder already reserved: " + folder);
        }
        return new ArtifactArea(repository, path);
    }

    /**
     * The path relative to the workspace's artifact root that {@code uri} names when this server
     * stores its files: an {@code mlflow-artifacts:} URI, or a {@code file:} URI or absolute path
     * inside the workspace's folder of a local store. Empty for anything else (other schemes,
     * relative paths, other workspaces' folders).
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when the path is not safe ({@code ..} and the like)
     */
    public Optional<String> locate(String workspace, String uri) {
        if (uri.startsWith(SCHEME)) {
            String rest = uri.substring(SCHEME.length());
            if (rest.startsWith("//")) {
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
            return Optional.of(ArtifactPath.parse(rest.replaceFirst("^/+", "")).value());
        }
        try {
            Path local = uri.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(uri)) : Path.of(uri);
            return local.isAbsolute() ? repository.locate(workspace, local).map(ArtifactPath::value) : Optional.empty();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Opens a file for streaming; the caller closes it. Throws {@code RESOURCE_DOES_NOT_EXIST} when absent. */
    public ArtifactContent open(String workspace, String path) {
        ArtifactPath artifactPath = ArtifactPath.parse(path);
        return io(() -> repository.open(workspace, artifactPath));
    }

    /**
     * Stores a file from a stream, creating its folders; returns the bytes written. A full disk is
     * INSUFFICIENT_STORAGE (507), not an internal error (docs/security.md, "Upload limits").
     */
    public long write(String workspace, String path, InputStream content) {
        ArtifactPath artifactPath = requireChangeable(ArtifactPath.parse(path));
        try {
            return repository.write(workspace, artifactPath, content);
        } catch (IOException e) {
            throw InsufficientStorage.of(e, "artifact '" + artifactPath + "'");
        }
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
        ArtifactPath artifactPath = requireChangeable(requireNotRoot(ArtifactPath.parse(path), "delete"));
        io(() -> {
            repository.delete(workspace, artifactPath);
            return null;
        });
    }

    /**
     * Deletes everything under {@code relativePath}, such as a garbage-collected run's
     * {@code <experiment_id>/<run_id>/artifacts}, and returns the bytes freed. The workspace root
     * itself cannot be deleted this way, and a reserved folder ({@link #reserve}) is left alone
     * (0 bytes freed): an experiment whose location points into one owns nothing there.
     */
    public long deletePrefix(String workspace, String relativePath) {
        ArtifactPath prefix = requireNotRoot(ArtifactPath.parse(relativePath), "delete");
        if (isReserved(prefix)) {
            return 0;
        }
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
        ArtifactPath artifactPath = requireChangeable(requireNotRoot(ArtifactPath.parse(path), "upload"));
        return multipart().createMultipartUpload(workspace, artifactPath, localFile, numParts);
    }

    /** Completes a multipart upload; {@code NOT_IMPLEMENTED} when the repository has none. */
    public void completeMultipartUpload(String workspace, String path, String localFile, String uploadId,
                                        List<MultipartArtifactRepository.Part> parts) {
        ArtifactPath artifactPath = requireChangeable(requireNotRoot(ArtifactPath.parse(path), "upload"));
        multipart().completeMultipartUpload(workspace, artifactPath, localFile, uploadId, parts);
    }

    /** Aborts a multipart upload; {@code NOT_IMPLEMENTED} when the repository has none. */
    public void abortMultipartUpload(String workspace, String path, String localFile, String uploadId) {
        ArtifactPath artifactPath = requireChangeable(requireNotRoot(ArtifactPath.parse(path), "upload"));
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

    private boolean isReserved(ArtifactPath path) {
        String value = path.value();
        int slash = value.indexOf('/');
        return reservedFolders.containsKey(slash < 0 ? value : value.substring(0, slash));
    }

    private ArtifactPath requireChangeable(ArtifactPath path) {
        if (isReserved(path)) {
            String folder = path.value().split("/")[0];
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "Artifacts under '" + folder + "/' belong to "
                    + reservedFolders.get(folder) + " and cannot be changed through the artifact API");
        }
        return path;
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
