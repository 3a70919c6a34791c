package dev.atelier.server.artifacts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads and downloads 1 GiB through a server whose JVM has a 96 MiB heap: it passes only if
 * both directions stream instead of buffering. The bytes are generated on the fly and compared by
 * SHA-256, so the test holds no copy either. The upload is framed with a Content-Length, as the
 * Python client frames non-empty files; {@link HttpURLConnection}'s fixed-length streaming is used
 * because it costs the two shared build cores far less than java.net.http's 16 KiB chunks (the
 * chunked java.net.http upload is covered by {@link ArtifactRoutesTest} and {@link ArtifactWireTest}).
 */
class ArtifactStreamingTest {
    private static final long ONE_GIB = 1L << 30;
    private static final String PATH = "/api/2.0/mlflow-artifacts/artifacts/1/run/artifacts/huge.bin";

    private Process child;

    @AfterEach
    void stopChild() throws InterruptedException, IOException {
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(15, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneGibibyteUploadAndDownloadStreamThroughSmallHeap(@TempDir Path dataDir) throws Exception {
        Path childLog = dataDir.resolve("child-stderr.log");
        String url = startChildServer(dataDir.resolve("server"), childLog);

        MessageDigest sent = sha256();
        HttpURLConnection put = (HttpURLConnection) URI.create(url + PATH).toURL().openConnection();
        put.setRequestMethod("PUT");
        put.setDoOutput(true);
        put.setFixedLengthStreamingMode(ONE_GIB);
        put.setRequestProperty("Content-Type", "application/octet-stream");
        try (InputStream generated = new DigestInputStream(new GeneratedStream(ONE_GIB), sent);
             OutputStream body = put.getOutputStream()) {
            StreamCopy.copy(generated, body);
        }
        assertThat(put.getResponseCode()).isEqualTo(200);
        try (InputStream answer = put.getInputStream()) {
            assertThat(new String(answer.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
        }

        HttpURLConnection get = (HttpURLConnection) URI.create(url + PATH).toURL().openConnection();
        assertThat(get.getResponseCode()).isEqualTo(200);
        assertThat(get.getHeaderField("Transfer-Encoding")).isEqualTo("chunked");
        MessageDigest received = sha256();
        long size;
        try (InputStream body = new DigestInputStream(get.getInputStream(), received)) {
            size = StreamCopy.copy(body, OutputStream.nullOutputStream());
        }
        assertThat(size).isEqualTo(ONE_GIB);
        assertThat(received.digest()).isEqualTo(sent.digest());
        assertThat(Files.readString(childLog)).doesNotContain("OutOfMemoryError");
    }

    /** Starts {@link ArtifactServerMain} with -Xmx96m on this test's classpath and returns its URL. */
    private String startChildServer(Path dataDir, Path stderr) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        child = new ProcessBuilder(List.of(java.toString(), "-Xmx96m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ArtifactServerMain.class.getName(), dataDir.toString()))
                .redirectError(stderr.toFile())
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            if (line.startsWith("PORT ")) {
                return "http://127.0.0.1:" + line.substring(5).trim();
            }
        }
        throw new AssertionError("child server exited without a port; stderr: " + Files.readString(stderr));
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    /** {@code size} pseudo-random bytes made on demand: a random 1 MiB block, each copy stamped with its index. */
    private static final class GeneratedStream extends InputStream {
        private static final int BLOCK = 1 << 20;
        private final byte[] block = new byte[BLOCK];
        private final long size;
        private long position;

        GeneratedStream(long size) {
            this.size = size;
            new Random(7).nextBytes(block);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int inBlock = (int) (position % BLOCK);
            if (inBlock == 0) {
                long index = position / BLOCK;
                for (int i = 0; i < Long.BYTES; i++) {
                    block[i] = (byte) (index >>> (8 * i));
                }
            }
            int count = (int) Math.min(Math.min(length, BLOCK - inBlock), size - position);
            System.arraycopy(block, inBlock, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
