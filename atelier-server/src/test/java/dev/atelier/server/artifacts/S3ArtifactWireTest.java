package dev.atelier.server.artifacts;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorded MLflow Python client session, replayed against a server whose artifacts live on S3 (S3Proxy). */
class S3ArtifactWireTest extends ArtifactWireTest {
    private S3ProxyServer s3;

    @Override
    ArtifactTestServer startServer(Path dataDir) {
        s3 = S3ProxyServer.start();
        return ArtifactTestServer.start(ServerConfig.forTests(dataDir).withArtifactsS3(s3.createBucket("wire", "atelier")));
    }

    @AfterAll
    void stopS3() {
        s3.close();
    }

    @Override
    @Test
    void storesUploadedFilesUnderWorkspaceFolderOnDisk() throws Exception {
        try (S3Bucket bucket = s3.open("wire", "atelier")) {
            String run = "default/1/17886f2c4342424aa924ab9c32ee1663/artifacts/";
            assertThat(read(bucket, run + "report/empty.log")).isEmpty();
            assertThat(new String(read(bucket, run + "config/dataset.json"), java.nio.charset.StandardCharsets.UTF_8)).startsWith("{");
            byte[] weights = read(bucket, run + "report/plots/weights.bin");
            assertThat(sha256(weights)).isEqualTo(sha256(uploaded.get(
                    "/api/2.0/mlflow-artifacts/artifacts/1/17886f2c4342424aa924ab9c32ee1663/artifacts/report/plots/weights.bin")));
        }
        assertThat(server.artifactsDir()).doesNotExist();
    }

    @Test
    void largeUploadThroughTheProxyIsStoredInPartsAndDownloadsWithTheSameDigest() throws Exception {
        long length = 2L * S3Bucket.FIRST_PART_BYTES + 999;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        String url = "/api/2.0/mlflow-artifacts/artifacts/9/big/artifacts/weights.bin";
        var put = server.send("PUT", url, java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.security.DigestInputStream(new S3ArtifactRepositoryTest.GeneratedStream(length), sent)),
                "application/octet-stream");
        assertThat(put.statusCode()).isEqualTo(200);
        var get = server.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count;
        try (var in = new java.security.DigestInputStream(get.body(), received)) {
            count = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(count).isEqualTo(length);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    private static byte[] read(S3Bucket bucket, String key) throws IOException {
        try (ArtifactContent content = bucket.open(key).orElseThrow()) {
            return content.stream().readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
