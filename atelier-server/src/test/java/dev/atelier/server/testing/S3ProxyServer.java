package dev.atelier.server.testing;

import dev.atelier.server.artifacts.S3Bucket;
import dev.atelier.server.artifacts.S3Settings;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real S3-compatible server (S3Proxy over a temporary folder) on a random loopback port, with
 * AWS signature v2/v4 authentication: what the S3 tests and the data benchmark talk to.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "atelier-test-access";
    public static final String SECRET_KEY = "atelier-test-secret";

    private final S3Proxy proxy;
    private final Path folder;

    private S3ProxyServer(S3Proxy proxy, Path folder) {
        this.proxy = proxy;
        this.folder = folder;
    }

    public static S3ProxyServer start() {
        try {
            return start(Files.createTempDirectory("atelier-s3proxy"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code folder} on {@code port} (0 picks one): a stopped S3Proxy started again where clients know it. */
    public static S3ProxyServer start(Path folder, int port) {
        try {
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(folder.toString()))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
            return new S3ProxyServer(proxy, folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Creates a bucket and returns settings that reach it with the right credentials. */
    public S3Settings createBucket(String bucket, String prefix) {
        try (S3Client client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        return settings(bucket, prefix);
    }

    public S3Settings settings(String bucket, String prefix) {
        return new S3Settings(Optional.of(endpoint()), S3Settings.DEFAULT_REGION, bucket, prefix, true,
                Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY));
    }

    public S3Bucket open(String bucket, String prefix) {
        return S3Bucket.open(settings(bucket, prefix));
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }

    public Path folder() {
        return folder;
    }
}
