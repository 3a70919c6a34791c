package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.local.LocalComputeConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where no sandbox can be had (forced here with {@link LocalComputeConfig.Sandbox#NONE}, as on a host without
 * bubblewrap): without {@code --auth} jobs run with a clean environment only; with {@code --auth} they are refused,
 * unless the server allows unsandboxed local compute. The {@code local} target says which mode applies.
 */
class LocalSandboxModesTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PASSWORD = "admin-pass-123";
    static final Set<String> ALLOWED = Set.of("PATH", "HOME", "LANG", "TZ", "PWD", "MLFLOW_TRACKING_URI", "MLFLOW_RUN_ID",
            "MLFLOW_EXPERIMENT_ID", "ATELIER_URL", "ATELIER_WORKSPACE", "ATELIER_JOB_NAME", "MLFLOW_TRACKING_TOKEN", "TRACEPARENT");

    @Test
    void withoutSandboxAndWithoutAuthAJobRunsWithACleanEnvironmentOnly() throws IOException {
        try (TestServer server = TestServer.start(config(false, false))) {
            assertThat(server.http().get("/api/v1/computes/local").json().path("local").path("sandbox").asText()).isEqualTo("unsandboxed");
            assertThat(page(server, "/compute/local", "").text()).contains("data-sandbox=\"unsandboxed\"", "id=\"compute-sandbox-warning\"",
                    "clean environment only");
            JobsFixture jobs = new JobsFixture(server.http());
            jobs.submit("""
                    name: env
                    command: env | cut -d= -f1 | sed 's/^/VAR /'; echo "HOME=$HOME"
                    """);
            JsonNode job = jobs.awaitEnded("env", WAIT);
            List<String> log = jobs.logLines("env");
            assertThat(job.path("status").asText()).as(log.toString()).isEqualTo("Completed");
            List<String> names = log.stream().filter(line -> line.startsWith("VAR ")).map(line -> line.substring(4)).toList();
            assertThat(names).isSubsetOf(ALLOWED).contains("PATH", "HOME", "MLFLOW_TRACKING_URI");
            assertThat(log).doesNotContain("HOME=" + System.getProperty("user.home"));
            assertThat(log.stream().filter(line -> line.startsWith("HOME=")).findFirst().orElseThrow())
                    .doesNotStartWith("HOME=" + server.server().dataDir());
        }
    }

    @Test
    void withoutSandboxAndWithAuthLocalJobsAreRefused() throws IOException {
        try (TestServer server = TestServer.start(config(true, false))) {
            String admin = adminToken(server);
            assertThat(call(server, "GET", "/api/v1/computes/local", null, admin).json().path("local").path("sandbox").asText())
                    .isEqualTo("refused");
            assertThat(page(server, "/compute/local", admin).text()).contains("data-sandbox=\"refused\"", "--allow-unsandboxed-local-compute");
            JsonNode job = runToEnd(server, admin, "refused");
            assertThat(job.path("status").asText()).isEqualTo("Failed");
            assertThat(job.path("reason").asText()).contains("no working sandbox", "--allow-unsandboxed-local-compute");
        }
    }

    @Test
    void withoutSandboxWithAuthAndTheAllowFlagLocalJobsRun() throws IOException {
        try (TestServer server = TestServer.start(config(true, true))) {
            String admin = adminToken(server);
            assertThat(call(server, "GET", "/api/v1/computes/local", null, admin).json().path("local").path("sandbox").asText())
                    .isEqualTo("unsandboxed");
            assertThat(runToEnd(server, admin, "allowed").path("status").asText()).isEqualTo("Completed");
        }
    }

    static ServerConfig config(boolean auth, boolean allowUnsandboxed) throws IOException {
        ServerConfig config = ServerConfig.forTests(Files.createTempDirectory("atelier-sandbox-modes")).withJobs(JobsConfig.DEFAULTS
                .withLocal(LocalComputeConfig.DEFAULTS.withSandbox(LocalComputeConfig.Sandbox.NONE).withAllowUnsandboxed(allowUnsandboxed)));
        return auth ? config.withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())) : config;
    }

    static JsonNode runToEnd(TestServer server, String token, String name) {
        HttpJson.Response submitted = call(server, "POST", "/api/v1/jobs", Map.of("name", name, "command", "echo ran"), token);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode job = call(server, "GET", "/api/v1/jobs/" + name, null, token).json();
            if (Set.of("Completed", "Failed", "Canceled").contains(job.path("status").asText())) {
                return job;
            }
            assertThat(System.nanoTime()).as("job " + name + " still " + job.path("status").asText()).isLessThan(deadline);
            JobsFixture.sleep(50);
        }
    }

    static String adminToken(TestServer server) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String changed = "admin-pass-456";
        assertThat(call(server, "POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", changed), basic)
                .status()).isEqualTo(200);
        basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + changed).getBytes(StandardCharsets.UTF_8));
        return "Bearer " + call(server, "POST", "/api/v1/tokens", Map.of("name", "admin"), basic).json().path("token").asText();
    }

    static HttpJson.Response page(TestServer server, String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html");
        return server.http().send((authorization.isEmpty() ? builder : builder.header("Authorization", authorization)).GET().build());
    }

    static HttpJson.Response call(TestServer server, String method, String path, Object body, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization);
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return server.http().send(builder.build());
    }
}
