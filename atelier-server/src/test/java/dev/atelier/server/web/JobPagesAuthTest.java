package dev.atelier.server.web;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
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
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs and compute pages with authentication on: canceling needs WRITE, managing compute MANAGE_COMPUTE. */
class JobPagesAuthTest {
    private static final String PASSWORD = "admin-pass-123";
    private static TestServer server;
    private static JobsData admin;
    private static JobsData reader;
    private static JobsData operator;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-job-pages-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())));
        assertThat(call("POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", "admin-pass-456"),
                basic("admin", PASSWORD)).status()).isEqualTo(200);
        String adminBasic = basic("admin", "admin-pass-456");
        assertThat(call("POST", "/api/v1/users", Map.of("username", "rita", "password", "rita-password-1"), adminBasic).status())
                .isEqualTo(201);
        assertThat(call("POST", "/api/v1/access", Map.of("username", "rita", "role", "Reader"), adminBasic).status()).isEqualTo(200);
        admin = new JobsData(server.http(), "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "admin"), adminBasic)
                .json().path("token").asText());
        reader = new JobsData(server.http(), "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "rita"),
                basic("rita", "rita-password-1")).json().path("token").asText());
        assertThat(call("POST", "/api/v1/users", Map.of("username", "otto", "password", "otto-password-1"), adminBasic).status())
                .isEqualTo(201);
        assertThat(call("POST", "/api/v1/access", Map.of("username", "otto", "role", "Compute Operator"), adminBasic).status())
                .isEqualTo(200);
        operator = new JobsData(server.http(), "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "otto"),
                basic("otto", "otto-password-1")).json().path("token").asText());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void cancelingAJobNeedsWrite() {
        admin.submit("", """
                name: long-job
                command: echo waiting; sleep 30
                """);
        admin.await("", "long-job", "Running");
        String seenByReader = reader.page("/jobs/long-job").text();
        assertThat(seenByReader).contains("id=\"job-status\">Running<", "id=\"log-follow\"").doesNotContain("id=\"cancel-job\"");
        assertThat(reader.action("/jobs/long-job/cancel", "").status()).isEqualTo(403);
        assertThat(admin.job("", "long-job").path("status").asText()).isEqualTo("Running");

        assertThat(admin.page("/jobs/long-job").text()).contains("id=\"cancel-job\"");
        assertThat(admin.action("/jobs/long-job/cancel", "").status()).isEqualTo(204);
        assertThat(admin.await("", "long-job", null).path("status").asText()).isEqualTo("Canceled");
    }

    @Test
    void managingComputeNeedsManageCompute() {
        assertThat(reader.page("/compute").text()).contains("data-compute=\"local\"").doesNotContain("id=\"create-compute\"");
        assertThat(reader.action("/compute", "name=pool&namespace=ml").status()).isEqualTo(403);
        assertThat(admin.page("/compute").text()).contains("id=\"create-compute\"");
        // Creating a target names where it connects: Owner only; a Compute Operator changes capacity and deletes.
        assertThat(operator.page("/compute").text()).doesNotContain("id=\"create-compute\"");
        assertThat(operator.action("/compute", "name=pool&namespace=ml").status()).isEqualTo(403);
        assertThat(admin.action("/compute", "name=pool&namespace=ml").status()).isEqualTo(204);
        assertThat(operator.action("/compute/pool/update", "max_concurrent_jobs=3").status()).isEqualTo(204);
        assertThat(reader.page("/compute/pool").text()).contains("ml").doesNotContain("id=\"delete-compute\"");
        assertThat(reader.action("/compute/pool/delete", "").status()).isEqualTo(403);
        assertThat(admin.action("/compute/pool/delete", "").status()).isEqualTo(204);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpJson.Response call(String method, String path, Object body, String authorization) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8)).build());
    }
}
