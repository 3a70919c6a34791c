package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.compute.kubernetes.PodScripts;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** With authentication on: a job's process gets a token scoped to its workspace, revoked when it ends; compute needs MANAGE_COMPUTE. */
class JobsWithAuthTest {
    private static final String PASSWORD = "admin-pass-123";
    private static final String NEW_PASSWORD = "admin-pass-456";
    private static TestServer server;
    private static String admin;
    private static String scientist;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-jobs-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())));
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(call("POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD), basic)
                .status()).isEqualTo(200);
        basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + NEW_PASSWORD).getBytes(StandardCharsets.UTF_8));
        admin = "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "admin"), basic).json().path("token").asText();
        assertThat(call("POST", "/api/v1/workspaces", Map.of("name", "team-a"), admin).status()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/users", Map.of("username", "ds", "password", "ds-password-123"), admin).status()).isEqualTo(201);
        assertThat(call("POST", "/w/team-a/api/v1/access", Map.of("username", "ds", "role", "Data Scientist"), admin).status())
                .isEqualTo(200);
        String dsBasic = "Basic " + Base64.getEncoder().encodeToString("ds:ds-password-123".getBytes(StandardCharsets.UTF_8));
        scientist = "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "ds"), dsBasic).json().path("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jobLogsIntoItsWorkspaceWithAScopedTokenThatIsRevokedAfterwards() {
        HttpJson.Response submitted = call("POST", "/w/team-a/api/v1/jobs", Map.of("name", "secured",
                "command", "echo uri=$MLFLOW_TRACKING_URI; " + JobsFixture.JAVA + " Train.java 1 outputs/m 0.25",
                "code", "snapshot:" + snapshot()), scientist);
        JsonNode job = awaitEnded(submitted, "secured");
        String logs = call("GET", "/w/team-a/api/v1/jobs/secured/logs", null, scientist).text();
        assertThat(job.path("status").asText()).as(logs).isEqualTo("Completed");
        assertThat(logs).contains("uri=" + server.url() + "/w/team-a");
        JsonNode run = call("GET", "/w/team-a/api/2.0/mlflow/runs/get?run_id=" + job.path("run_id").asText(), null, scientist).json();
        assertThat(run.path("run").path("data").path("metrics").toString()).contains("accuracy");
        // The metric above was logged with the job's token (auth is on); once the job ended it was revoked, so it is no longer listed.
        assertThat(call("GET", "/api/v1/tokens", null, scientist).text()).contains("\"ds\"").doesNotContain("job:team-a/secured");
    }

    /**
     * The pod wrapper, run here as a local job (busybox is on the host; on Kubernetes the init container
     * brings it), sends its outputs with the job's own token: the token may call the outputs route.
     */
    @Test
    void theJobsTokenSendsItsOutputsThroughTheOutputsRoute() {
        String wrapper = PodScripts.mainCommand("mkdir -p pod-outputs/m && echo weights > pod-outputs/m/model.txt", "pod-outputs",
                server.url() + "/w/team-a/api/v1/jobs/pod-like/outputs", "/usr/bin").get(3);
        HttpJson.Response submitted = call("POST", "/w/team-a/api/v1/jobs", Map.of("name", "pod-like",
                "command", "/usr/bin/busybox sh -c '" + wrapper.replace("'", "'\"'\"'") + "'"), scientist);
        JsonNode job = awaitEnded(submitted, "pod-like");
        assertThat(job.path("status").asText()).as(call("GET", "/w/team-a/api/v1/jobs/pod-like/logs", null, scientist).text())
                .isEqualTo("Completed");
        String root = ArtifactRoot.of(call("GET", "/w/team-a/api/2.0/mlflow/runs/get?run_id=" + job.path("run_id").asText(), null,
                scientist).json().path("run").path("info").path("artifact_uri").asText()).orElseThrow();
        assertThat(call("GET", "/w/team-a/api/2.0/mlflow-artifacts/artifacts/" + root + "/outputs/m/model.txt", null, scientist).text())
                .isEqualTo("weights\n");
    }

    @Test
    void computeTargetsNeedManageCompute() {
        Map<String, Object> target = Map.of("name", "k8s", "kind", "kubernetes", "kubernetes", Map.of("namespace", "ml"));
        assertThat(call("POST", "/w/team-a/api/v1/computes", target, scientist).status()).isEqualTo(403);
        assertThat(call("GET", "/w/team-a/api/v1/computes", null, scientist).status()).isEqualTo(200);
        assertThat(call("POST", "/w/team-a/api/v1/computes", target, admin).status()).isEqualTo(200);
    }

    private static String snapshot() {
        String content = Scripts.TRAIN_JAVA;
        String hash = JobsFixture.sha256(content);
        Map<String, Object> manifest = Map.of("files", java.util.List.of(Map.of("path", "Train.java", "sha256", hash,
                "size", content.getBytes(StandardCharsets.UTF_8).length)));
        assertThat(call("POST", "/w/team-a/api/v1/snapshots/missing-blobs", manifest, scientist).status()).isEqualTo(200);
        HttpJson.Response put = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/w/team-a/api/v1/snapshots/blobs/" + hash))
                .header("Authorization", scientist).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        return call("POST", "/w/team-a/api/v1/snapshots", manifest, scientist).json().path("snapshot_id").asText();
    }

    private static HttpJson.Response call(String method, String path, Object body, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization);
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return server.http().send(builder.build());
    }

    /** Waits until the job {@code submitted} answered for has ended, as its submitter sees it. */
    private static JsonNode awaitEnded(HttpJson.Response submitted, String name) {
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode job = submitted.json();
        while (!job.path("status").asText().matches("Completed|Failed|Canceled")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            JobsFixture.sleep(50);
            job = call("GET", "/w/team-a/api/v1/jobs/" + name, null, scientist).json();
        }
        return job;
    }
}
