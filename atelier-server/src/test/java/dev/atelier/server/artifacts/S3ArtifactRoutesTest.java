package dev.atelier.server.artifacts;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The artifact proxy's route tests against a server whose artifacts live on S3 (S3Proxy). The
 * tests that look at the local folder are replaced by ones that look at the bucket; S3 has no
 * symbolic links, so the link test becomes "nothing leaves the workspace's prefix".
 */
class S3ArtifactRoutesTest extends ArtifactRoutesTest {
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    private S3ProxyServer s3;

    @Override
    ArtifactTestServer startServer(Path dataDir) {
        s3 = S3ProxyServer.start();
        return ArtifactTestServer.start(ServerConfig.forTests(dataDir).withArtifactsS3(s3.createBucket("routes", "")));
    }

    @AfterAll
    void stopS3() {
        s3.close();
    }

    @Override
    @Test
    void workspaceArtifactsAreInvisibleFromTheDefaultWorkspace() throws Exception {
        assertThat(server.put("/w/team-a" + ARTIFACTS + "/ws/secret.txt", "team".getBytes(StandardCharsets.UTF_8), "text/plain")
                .statusCode()).isEqualTo(200);
        assertThat(server.get(ARTIFACTS + "/ws/secret.txt").statusCode()).isEqualTo(404);
        assertThat(read("team-a/ws/secret.txt")).isEqualTo("team");
    }

    @Override
    @Test
    void deletingAWorkspaceRemovesItsArtifactFolder() throws Exception {
        assertThat(server.postJson("/api/v1/workspaces", "{\"name\":\"short-lived\"}").statusCode()).isEqualTo(201);
        server.put("/w/short-lived" + ARTIFACTS + "/x/y.txt", "y".getBytes(StandardCharsets.UTF_8), "text/plain");
        try (S3Bucket bucket = s3.open("routes", "")) {
            assertThat(bucket.exists("short-lived/x/y.txt")).isTrue();
            HttpResponse<byte[]> deleted = server.send("DELETE", "/api/v1/workspaces/short-lived",
                    HttpRequest.BodyPublishers.noBody(), null);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(bucket.listTree("short-lived")).isEmpty();
        }
    }

    @Override
    @Test
    void refusesSymlinkLeavingTheArtifactRoot() throws Exception {
        assertThat(server.get(ARTIFACTS + "/linked/escape/secret.txt").statusCode()).isEqualTo(404);
        assertThat(server.put(ARTIFACTS + "/linked/planted.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode())
                .isEqualTo(200);
        try (S3Bucket bucket = s3.open("routes", "")) {
            assertThat(bucket.listTree("")).extracting(FileInfo::path).allMatch(key -> key.startsWith("default/")
                    || key.startsWith("team-a/") || key.startsWith("short-lived/"));
        }
    }

    private String read(String key) throws IOException {
        try (S3Bucket bucket = s3.open("routes", ""); ArtifactContent content = bucket.open(key).orElseThrow()) {
            return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
