package dev.atelier.server.artifacts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A repository that can take one file in parts uploaded straight to storage with presigned URLs,
 * as MLflow's {@code MultipartUploadMixin} (S3-compatible stores). The server hands out the URLs
 * and completes or aborts the upload; the bytes never pass through it. A repository that does not
 * implement this interface has no multipart upload, and the server answers as MLflow does then.
 * Implementations are thread-safe.
 *
 * <p>Spec: {@code CreateMultipartUpload}, {@code CompleteMultipartUpload},
 * {@code AbortMultipartUpload} in mlflow/protos/mlflow_artifacts.proto.
 */
public interface MultipartArtifactRepository extends ArtifactRepository {
    /**
     * Starts an upload of {@code numParts} parts to {@code path}.
     *
     * @param localFile the client's local file path, as the request's {@code path} field gives it
     */
    MultipartUpload createMultipartUpload(String workspace, ArtifactPath path, String localFile, long numParts);

    /** Joins the uploaded parts into the file at {@code path}. */
    void completeMultipartUpload(String workspace, ArtifactPath path, String localFile, String uploadId, List<Part> parts);

    /** Drops an upload and the parts uploaded so far. */
    void abortMultipartUpload(String workspace, ArtifactPath path, String localFile, String uploadId);

    /** The answer to a create: the upload's id and one presigned URL per part. */
    record MultipartUpload(
            @JsonProperty("upload_id") String uploadId,
            @JsonProperty("credentials") List<Credential> credentials) {
        public MultipartUpload {
            requireNonNull(uploadId, "uploadId is null");
            credentials = List.copyOf(credentials);
        }
    }

    /** Where and how the client uploads one part. */
    record Credential(
            @JsonProperty("url") String url,
            @JsonProperty("part_number") long partNumber,
            @JsonProperty("headers") Map<String, String> headers) {
        public Credential {
            requireNonNull(url, "url is null");
            headers = Map.copyOf(headers);
        }
    }

    /** A part the client uploaded, as it reports it on completion. */
    record Part(
            @JsonProperty("part_number") long partNumber,
            @JsonProperty("etag") String etag,
            @JsonProperty("url") String url) {
        public Part {
            requireNonNull(etag, "etag is null");
        }
    }
}
