package dev.atelier.server.replicas;

import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 store unreachable for a while (S3Proxy stopped, then started again on its port): artifact uploads and
 * downloads answer 503 with {@code Retry-After} (never 500) while tracking calls keep working, the servers recover
 * without a restart, and no artifact is visible half-written: each one is either absent or whole. The outage lasts
 * {@code -Datelier.replicas.s3OutageSeconds} (30 in the benchmark, 4 in CI).
 */
class S3OutageTest {
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final long OUTAGE_SECONDS = Long.getLong("atelier.replicas.s3OutageSeconds", 4);

    private static ReplicaCluster cluster;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        cluster = ReplicaCluster.start(2, 30_000);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Upload(String path, byte[] content, int status, String retryAfter, String body) {
    }

    @Test
    void artifactCallsAnswer503WhileS3IsUnreachableAndNoArtifactIsHalfWritten() throws Exception {
        HttpJson http = cluster.http();
        String experiment = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "s3-outage")).json()
                .path("experiment_id").asText();
        String runId = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experiment)).json()
                .at("/run/info/run_id").asText();
        String root = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().at("/run/info/artifact_uri").asText()
                .substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uploads.add(upload(root, i));
        }
        cluster.stopS3();
        Instant restart = Instant.now().plusSeconds(OUTAGE_SECONDS);
        int i = 4;
        List<Integer> downloads = new ArrayList<>();
        List<Integer> tracking = new ArrayList<>();
        while (Instant.now().isBefore(restart)) {
            uploads.add(upload(root, i++));
            downloads.add(download(root + "/file-0.bin").statusCode());
            tracking.add(http.post("/api/2.0/mlflow/runs/log-parameter", Map.of("run_id", runId, "key", "p" + i, "value", "v"))
                    .status());
            Thread.sleep(200);
        }
        cluster.restartS3();
        Instant deadline = Instant.now().plusSeconds(60);
        Upload last;
        do {
            last = upload(root, i++);
            uploads.add(last);
        } while (last.status() != 200 && Instant.now().isBefore(deadline));
        assertThat(last.status()).as(last.body()).isEqualTo(200);

        assertThat(tracking).as("tracking calls need no artifact store").containsOnly(200);
        assertThat(downloads).containsOnly(503);
        List<Upload> refused = uploads.stream().filter(upload -> upload.status() != 200).toList();
        assertThat(refused).as("uploads while S3 was unreachable").isNotEmpty();
        assertThat(refused).allSatisfy(upload -> {
            assertThat(upload.status()).as(upload.body()).isEqualTo(503);
            assertThat(upload.retryAfter()).isEqualTo("5");
            assertThat(HttpJson.parse(upload.body()).path("error_code").asText()).isEqualTo("TEMPORARILY_UNAVAILABLE");
        });
        // Every acknowledged artifact is whole; every refused one is absent (or, had S3 stored it after all, whole).
        for (Upload upload : uploads) {
            HttpResponse<byte[]> read = download(upload.path());
            if (upload.status() == 200 || read.statusCode() != 404) {
                assertThat(read.statusCode()).as(upload.path()).isEqualTo(200);
                assertThat(Arrays.equals(read.body(), upload.content())).as(upload.path() + " whole").isTrue();
            }
        }
    }

    private Upload upload(String root, int index) throws IOException, InterruptedException {
        byte[] content = new byte[256 * 1024 + index];
        Arrays.fill(content, (byte) ('a' + index % 26));
        String path = root + "/file-" + index + ".bin";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(cluster.balancer().url() + ARTIFACTS + path))
                .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Upload(path, content, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                response.body());
    }

    private HttpResponse<byte[]> download(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(cluster.balancer().url() + ARTIFACTS + path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
