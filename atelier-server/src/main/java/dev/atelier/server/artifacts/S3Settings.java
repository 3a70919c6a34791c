package dev.atelier.server.artifacts;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where and how to reach one S3-compatible bucket.
 *
 * @param endpoint        the service's URL ({@code http://127.0.0.1:9000}); empty means AWS's own endpoint for {@code region}
 * @param region          the signing region; S3-compatible servers usually accept any, {@code us-east-1} by default
 * @param bucket          the bucket name
 * @param prefix          a key prefix without leading or trailing slash, empty for the bucket's root
 * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; what most
 *                        S3-compatible servers (MinIO, S3Proxy, Ceph) need
 * @param accessKeyId     the access key; empty means the AWS SDK's default chain (environment, profile, instance role)
 * @param secretAccessKey the secret key, present exactly when {@code accessKeyId} is
 */
public record S3Settings(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
                         Optional<String> accessKeyId, Optional<String> secretAccessKey) {
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is blank");
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("an access key id needs a secret access key and the other way round");
        }
        prefix = trimSlashes(prefix);
    }

    /**
     * Reads {@code s3://bucket/prefix} and takes the rest from the environment: {@code ATELIER_S3_ENDPOINT},
     * {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}), {@code ATELIER_S3_PATH_STYLE} ({@code true} unless
     * {@code false}), {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}.
     *
     * @throws IllegalArgumentException when the URI is not an {@code s3://} URI with a bucket
     */
    public static S3Settings fromUri(String uri, Map<String, String> environment) {
        requireNonNull(uri, "uri is null");
        if (!uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// URI: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("the S3 URI names no bucket: " + uri);
        }
        Optional<URI> endpoint = value(environment, "ATELIER_S3_ENDPOINT").map(URI::create);
        String region = value(environment, "AWS_REGION").or(() -> value(environment, "AWS_DEFAULT_REGION"))
                .orElse(DEFAULT_REGION);
        boolean pathStyle = !value(environment, "ATELIER_S3_PATH_STYLE").map("false"::equalsIgnoreCase).orElse(false);
        Optional<String> accessKey = value(environment, "AWS_ACCESS_KEY_ID");
        Optional<String> secretKey = value(environment, "AWS_SECRET_ACCESS_KEY");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
        }
        return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKey, secretKey);
    }

    /** The same bucket and credentials with {@code suffix} appended to the prefix. */
    public S3Settings under(String suffix) {
        String tail = trimSlashes(suffix);
        String joined = prefix.isEmpty() ? tail : tail.isEmpty() ? prefix : prefix + "/" + tail;
        return new S3Settings(endpoint, region, bucket, joined, pathStyle, accessKeyId, secretAccessKey);
    }

    /** {@code s3://bucket/prefix}, without credentials. */
    public String displayUri() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + endpoint.map(e -> " at " + e).orElse("");
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String trimSlashes(String value) {
        String result = value;
        while (result.startsWith("/")) {
            result = result.substring(1);
        }
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    @Override
    public String toString() {
        return "S3Settings[" + displayUri() + ", region=" + region + ", pathStyle=" + pathStyle + "]";
    }
}
