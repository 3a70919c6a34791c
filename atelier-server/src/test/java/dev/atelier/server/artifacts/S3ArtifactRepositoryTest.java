package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The artifact repository contract against a real S3-compatible server (S3Proxy on the local disk). */
class S3ArtifactRepositoryTest {
    private static S3ProxyServer s3;
    private static S3ArtifactRepository repository;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start();
        repository = new S3ArtifactRepository(S3Bucket.open(s3.createBucket("contract", "root/prefix")));
    }

    @AfterAll
    static void stop() {
        repository.close();
        s3.close();
    }

    @Test
    void writeThenOpenReturnsBytesAndSizeAndReplaces() throws IOException {
        assertThat(repository.write("ws1", path("a/b/c.txt"), text("hello"))).isEqualTo(5);
        assertThat(read("ws1", "a/b/c.txt")).isEqualTo("hello");
        repository.write("ws1", path("a/b/c.txt"), text("again!"));
        try (ArtifactContent content = repository.open("ws1", path("a/b/c.txt"))) {
            assertThat(content.size()).isEqualTo(6);
            assertThat(new String(content.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("again!");
        }
    }

    @Test
    void listsOneLevelSortedWithFoldersAndSizes() throws IOException {
        repository.write("ws2", path("run/z.txt"), text("zz"));
        repository.write("ws2", path("run/a.txt"), text(""));
        repository.write("ws2", path("run/m/deep.txt"), text("deep"));
        assertThat(repository.list("ws2", path("run"))).containsExactly(
                FileInfo.file("a.txt", 0), FileInfo.folder("m"), FileInfo.file("z.txt", 2));
        assertThat(repository.list("ws2", ArtifactPath.ROOT)).containsExactly(FileInfo.folder("run"));
        assertThat(repository.list("ws2", path("run/z.txt"))).isEmpty();
        assertThat(repository.list("ws2", path("missing"))).isEmpty();
        assertThat(repository.size("ws2", path("run"))).isEqualTo(6);
    }

    @Test
    void deletePrefixRemovesTheTreeAndReturnsBytesFreed() throws IOException {
        repository.write("ws3", path("x/1.bin"), text("123"));
        repository.write("ws3", path("x/y/2.bin"), text("45"));
        repository.write("ws3", path("xy.bin"), text("keep"));
        assertThat(repository.deletePrefix("ws3", path("x"))).isEqualTo(5);
        assertThat(repository.list("ws3", ArtifactPath.ROOT)).containsExactly(FileInfo.file("xy.bin", 4));
        repository.delete("ws3", path("nothing/here"));
        repository.deleteWorkspace("ws3");
        assertThat(repository.list("ws3", ArtifactPath.ROOT)).isEmpty();
    }

    @Test
    void refusesTheRootAFolderAndAFileInTheWayAndReportsMissingFiles() throws IOException {
        repository.write("ws4", path("f/inner.txt"), text("x"));
        assertInvalid(() -> repository.write("ws4", ArtifactPath.ROOT, text("x")), "An artifact path is required");
        assertInvalid(() -> repository.write("ws4", path("f"), text("x")), "a folder with that name exists");
        assertInvalid(() -> repository.write("ws4", path("f/inner.txt/below"), text("x")), "a file stands where a folder must go");
        assertThatThrownBy(() -> repository.open("ws4", path("f/missing.txt")))
                .isInstanceOfSatisfying(AtelierException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> repository.open("ws4", path("f")))
                .isInstanceOfSatisfying(AtelierException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void largeObjectGoesUpInPartsAndComesBackWithTheSameDigest() throws Exception {
        long length = 2L * S3Bucket.FIRST_PART_BYTES + 12345;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(new GeneratedStream(length), sent)) {
            assertThat(repository.write("ws5", path("big/model.bin"), in)).isEqualTo(length);
        }
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (ArtifactContent content = repository.open("ws5", path("big/model.bin"));
             InputStream in = new DigestInputStream(content.stream(), received)) {
            assertThat(content.size()).isEqualTo(length);
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void partsGrowEveryThousandParts() {
        assertThat(S3Bucket.partBytes(1)).isEqualTo(S3Bucket.FIRST_PART_BYTES);
        assertThat(S3Bucket.partBytes(1000)).isEqualTo(S3Bucket.FIRST_PART_BYTES);
        assertThat(S3Bucket.partBytes(1001)).isEqualTo(2 * S3Bucket.FIRST_PART_BYTES);
    }

    @Test
    void checkAccessSaysWhyABucketCannotBeListed() {
        assertThat(repositoryBucketCheck(s3.settings("contract", ""))).isEmpty();
        assertThat(repositoryBucketCheck(s3.settings("no-such-bucket", ""))).hasValueSatisfying(
                reason -> assertThat(reason).contains("does not exist"));
        S3Settings wrongKey = new S3Settings(s3.settings("contract", "").endpoint(), "us-east-1", "contract", "", true,
                java.util.Optional.of(S3ProxyServer.ACCESS_KEY), java.util.Optional.of("wrong-secret"));
        assertThat(repositoryBucketCheck(wrongKey)).hasValueSatisfying(
                reason -> assertThat(reason).contains("credentials were refused"));
        S3Settings unreachable = new S3Settings(java.util.Optional.of(java.net.URI.create("http://127.0.0.1:1")), "us-east-1",
                "contract", "", true, java.util.Optional.of("a"), java.util.Optional.of("b"));
        assertThat(repositoryBucketCheck(unreachable)).hasValueSatisfying(
                reason -> assertThat(reason).contains("could not be reached"));
    }

    private static java.util.Optional<String> repositoryBucketCheck(S3Settings settings) {
        try (S3Bucket bucket = S3Bucket.open(settings)) {
            return bucket.checkAccess();
        }
    }

    private static ArtifactPath path(String value) {
        return ArtifactPath.parse(value);
    }

    private static InputStream text(String value) {
        return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(String workspace, String path) throws IOException {
        try (ArtifactContent content = repository.open(workspace, path(path))) {
            return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertInvalid(ThrowingCall call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AtelierException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** Deterministic pseudo-random bytes of a given length, generated as read. */
    static final class GeneratedStream extends InputStream {
        private final Random random = new Random(7);
        private long remaining;

        GeneratedStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            byte[] chunk = new byte[count];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, buffer, offset, count);
            remaining -= count;
            return count;
        }
    }
}
