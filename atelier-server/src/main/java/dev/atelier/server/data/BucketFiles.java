package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.artifacts.S3Bucket;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** An S3 datastore: paths are keys below the datastore's prefix. Closing releases the client. Thread-safe. */
final class BucketFiles implements DatastoreFiles {
    private final S3Bucket bucket;

    BucketFiles(S3Bucket bucket) {
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    @Override
    public ArtifactContent open(ArtifactPath path) throws IOException {
        return bucket.open(path.value()).orElseThrow(() -> AtelierException.notFound("No file at '" + path + "' on the datastore"));
    }

    @Override
    public long write(ArtifactPath path, InputStream content) throws IOException {
        return bucket.put(path.value(), content);
    }

    @Override
    public List<FileInfo> listFiles(ArtifactPath path) throws IOException {
        return bucket.listTree(path.value()).stream().sorted(Comparator.comparing(FileInfo::path)).toList();
    }

    @Override
    public void delete(ArtifactPath path) throws IOException {
        bucket.deleteTree(path.value());
    }

    @Override
    public void close() {
        bucket.close();
    }
}
