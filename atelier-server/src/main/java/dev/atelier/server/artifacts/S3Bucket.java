package dev.atelier.server.artifacts;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One bucket and key prefix, spoken to through the AWS SDK v2: the plumbing shared by the S3
 * artifact repository and S3 datastores. Keys given to it are relative to the prefix. Uploads of
 * unknown length are read one part at a time: a stream that ends within the first part goes up in
 * one {@code PutObject}, a longer one as a multipart upload whose parts grow from 8 MiB, so memory
 * per upload stays at one part and a failed upload is aborted (S3 makes either kind visible only
 * when complete). Thread-safe, as the SDK client is; {@link #close()} releases its connections.
 */
public final class S3Bucket implements AutoCloseable {
    static final int FIRST_PART_BYTES = 8 * 1024 * 1024;
    private static final int PARTS_PER_SIZE_STEP = 1000;
    private static final int DELETE_BATCH = 1000;

    private final S3Client client;
    private final S3Settings settings;

    private S3Bucket(S3Client client, S3Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * A client for {@code settings}. Checksums are computed only where S3 requires them, so that
     * S3-compatible servers that do not know the newer flexible checksums accept the requests.
     */
    public static S3Bucket open(S3Settings settings) {
        requireNonNull(settings, "settings is null");
        AwsCredentialsProvider credentials = settings.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                settings.secretAccessKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3Bucket(builder.build(), settings);
    }

    public S3Settings settings() {
        return settings;
    }

    /** The full key of a relative one. */
    String key(String relative) {
        return settings.prefix().isEmpty() ? relative : relative.isEmpty() ? settings.prefix() : settings.prefix() + "/" + relative;
    }

    /** Opens an object; empty when there is none. The caller closes the stream. */
    public Optional<ArtifactContent> open(String relative) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> stream = call(() -> client.getObject(b -> b.bucket(settings.bucket())
                    .key(key(relative))));
            return Optional.of(new ArtifactContent(stream, stream.response().contentLength()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Whether an object is at exactly this key. */
    public boolean exists(String relative) throws IOException {
        try {
            call(() -> client.headObject(b -> b.bucket(settings.bucket()).key(key(relative))));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Stores {@code content} (read to its end, not closed) at the key and returns its length. */
    public long put(String relative, InputStream content) throws IOException {
        String key = key(relative);
        byte[] first = content.readNBytes(FIRST_PART_BYTES);
        if (first.length < FIRST_PART_BYTES) {
            call(() -> client.putObject(b -> b.bucket(settings.bucket()).key(key), RequestBody.fromBytes(first)));
            return first.length;
        }
        String uploadId = call(() -> client.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key))).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            byte[] part = first;
            while (part.length > 0) {
                int number = parts.size() + 1;
                byte[] body = part;
                String etag = call(() -> client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                        .partNumber(number), RequestBody.fromBytes(body))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += part.length;
                part = content.readNBytes(partBytes(parts.size() + 1));
            }
            call(() -> client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))));
            completed = true;
            return total;
        } finally {
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    /** Parts grow by 8 MiB every thousand parts, so S3's 10,000-part limit allows objects of ~430 GiB. */
    static int partBytes(int partNumber) {
        return FIRST_PART_BYTES * (1 + (partNumber - 1) / PARTS_PER_SIZE_STEP);
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            // The upload failed already; S3 lifecycle rules clean up what an abort could not.
        }
    }

    /**
     * One level below {@code folder} (relative, empty for the root): files with sizes and folders,
     * named relative to {@code folder}, in key order.
     */
    public List<FileInfo> listLevel(String folder) throws IOException {
        String prefix = folder.isEmpty() ? key("") : key(folder);
        String listed = prefix.isEmpty() ? "" : prefix + "/";
        List<FileInfo> entries = new ArrayList<>();
        paginate(ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(listed).delimiter("/").build(), page -> {
            for (CommonPrefix common : page.commonPrefixes()) {
                String name = common.prefix().substring(listed.length());
                entries.add(FileInfo.folder(name.endsWith("/") ? name.substring(0, name.length() - 1) : name));
            }
            for (S3Object object : page.contents()) {
                String name = object.key().substring(listed.length());
                if (!name.isEmpty()) {
                    entries.add(FileInfo.file(name, object.size()));
                }
            }
        });
        entries.sort(java.util.Comparator.comparing(FileInfo::path));
        return List.copyOf(entries);
    }

    /** Every object at or below {@code relative} (the object itself and keys under {@code relative/}), keys relative. */
    public List<FileInfo> listTree(String relative) throws IOException {
        List<FileInfo> objects = new ArrayList<>();
        String base = key(relative);
        if (!relative.isEmpty() && exists(relative)) {
            objects.add(FileInfo.file(relative, sizeOf(relative)));
        }
        String listed = base.isEmpty() ? "" : base + "/";
        int strip = settings.prefix().isEmpty() ? 0 : settings.prefix().length() + 1;
        paginate(ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(listed).build(), page -> {
            for (S3Object object : page.contents()) {
                objects.add(FileInfo.file(object.key().substring(strip), object.size()));
            }
        });
        return List.copyOf(objects);
    }

    private long sizeOf(String relative) throws IOException {
        return call(() -> client.headObject(b -> b.bucket(settings.bucket()).key(key(relative)))).contentLength();
    }

    /** Deletes the object at {@code relative} and everything below it; returns the bytes freed. */
    public long deleteTree(String relative) throws IOException {
        List<FileInfo> objects = listTree(relative);
        long freed = 0;
        for (int start = 0; start < objects.size(); start += DELETE_BATCH) {
            List<ObjectIdentifier> batch = objects.subList(start, Math.min(objects.size(), start + DELETE_BATCH)).stream()
                    .map(object -> ObjectIdentifier.builder().key(key(object.path())).build()).toList();
            call(() -> client.deleteObjects(b -> b.bucket(settings.bucket()).delete(d -> d.objects(batch).quiet(true))));
        }
        for (FileInfo object : objects) {
            freed += object.fileSize();
        }
        return freed;
    }

    /** Whether any object lies below {@code relative/}. */
    public boolean hasChildren(String relative) throws IOException {
        String listed = key(relative) + "/";
        return !call(() -> client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(listed).maxKeys(1))).contents().isEmpty();
    }

    /**
     * Checks that the bucket can be listed with these settings.
     *
     * @return empty when it can, else why not in words a user can act on
     */
    public Optional<String> checkAccess() {
        try {
            client.listObjectsV2(b -> b.bucket(settings.bucket()).maxKeys(1));
            return Optional.empty();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            return Optional.of(switch (code) {
                case "NoSuchBucket" -> "bucket '" + settings.bucket() + "' does not exist";
                case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidSecurity" ->
                        "the credentials were refused (" + code + ")";
                default -> e.statusCode() == 404 ? "bucket '" + settings.bucket() + "' does not exist"
                        : e.statusCode() == 403 ? "the credentials were refused (HTTP 403)"
                        : "the service answered " + e.statusCode() + " " + code;
            });
        } catch (SdkClientException e) {
            return Optional.of("the endpoint " + settings.endpoint().map(Object::toString).orElse("(AWS)")
                    + " could not be reached: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }

    private void paginate(ListObjectsV2Request first, Consumer<ListObjectsV2Response> pages) throws IOException {
        ListObjectsV2Request request = first;
        while (true) {
            ListObjectsV2Request current = request;
            ListObjectsV2Response page = call(() -> client.listObjectsV2(current));
            pages.accept(page);
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return;
            }
            request = first.toBuilder().continuationToken(page.nextContinuationToken()).build();
        }
    }

    /** Runs an SDK call, turning a network failure into an {@link IOException}; S3 error answers pass through. */
    private static <T> T call(SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkClientException e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run();
    }

    @Override
    public void close() {
        client.close();
    }
}
