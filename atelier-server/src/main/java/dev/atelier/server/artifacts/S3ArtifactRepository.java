package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Artifacts in an S3-compatible bucket: workspace {@code w}'s path {@code a/b} is the object
 * {@code <prefix>/w/a/b}. Objects are written whole (a single PUT, or a multipart upload completed
 * at the end, see {@link S3Bucket#put}), so readers see the old object or the new one and a failed
 * upload leaves nothing. Folders exist only through the keys below them. Paths arrive checked by
 * {@link ArtifactPath#parse}; S3 has no links to escape through. Thread-safe.
 *
 * <p>Clients keep uploading through the server's artifact proxy; this repository offers no
 * presigned multipart upload, so MLflow clients fall back to a plain PUT as with the local store.
 */
public final class S3ArtifactRepository implements ArtifactRepository, AutoCloseable {
    private final S3Bucket bucket;

    public S3ArtifactRepository(S3Bucket bucket) {
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    @Override
    public ArtifactContent open(String workspace, ArtifactPath path) throws IOException {
        if (path.isRoot()) {
            throw notFound(path);
        }
        return bucket.open(key(workspace, path)).orElseThrow(() -> notFound(path));
    }

    /**
     * Refuses, as the local repository does, a path where a folder is or below a file: an object
     * store would accept both, and then the artifact tree would hold a name that is file and folder.
     */
    @Override
    public long write(String workspace, ArtifactPath path, InputStream content) throws IOException {
        requireNonNull(content, "content is null");
        if (path.isRoot()) {
            throw AtelierException.invalidParameter("An artifact path is required to upload a file");
        }
        String key = key(workspace, path);
        if (bucket.hasChildren(key)) {
            throw AtelierException.invalidParameter("Cannot upload to '" + path + "': a folder with that name exists");
        }
        String value = path.value();
        for (int slash = value.indexOf('/'); slash > 0; slash = value.indexOf('/', slash + 1)) {
            if (bucket.exists(workspace + "/" + value.substring(0, slash))) {
                throw AtelierException.invalidParameter("Cannot upload to '" + path + "': a file stands where a folder must go");
            }
        }
        return bucket.put(key, content);
    }

    @Override
    public List<FileInfo> list(String workspace, ArtifactPath folder) throws IOException {
        return bucket.listLevel(key(workspace, folder));
    }

    @Override
    public void delete(String workspace, ArtifactPath path) throws IOException {
        deletePrefix(workspace, path);
    }

    @Override
    public long deletePrefix(String workspace, ArtifactPath prefix) throws IOException {
        return bucket.deleteTree(key(workspace, prefix));
    }

    @Override
    public long size(String workspace, ArtifactPath prefix) throws IOException {
        return bucket.listTree(key(workspace, prefix)).stream().mapToLong(FileInfo::fileSize).sum();
    }

    @Override
    public void deleteWorkspace(String workspace) throws IOException {
        bucket.deleteTree(workspaceKey(workspace));
    }

    private static String key(String workspace, ArtifactPath path) {
        String root = workspaceKey(workspace);
        return path.isRoot() ? root : root + "/" + path.value();
    }

    private static String workspaceKey(String workspace) {
        requireNonNull(workspace, "workspace is null");
        if (workspace.isEmpty() || workspace.contains("/")) {
            throw new IllegalArgumentException("not a workspace name: " + workspace);
        }
        return workspace;
    }

    private static AtelierException notFound(ArtifactPath path) {
        return AtelierException.notFound("No artifact file at '" + path + "'");
    }

    @Override
    public void close() {
        bucket.close();
    }
}
