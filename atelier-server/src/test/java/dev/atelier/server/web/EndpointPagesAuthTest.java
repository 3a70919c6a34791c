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

/** The Endpoints area with authentication on: a Reader sees the endpoint but not its keys, the test form or the editors. */
class EndpointPagesAuthTest {
    private static final String PASSWORD = "admin-pass-123";
    private static TestServer server;
    private static JobsData admin;
    private static JobsData reader;
    private static String adminBearer;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-endpoint-pages-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())));
        assertThat(call("POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", "admin-pass-456"),
                basic("admin", PASSWORD)).status()).isEqualTo(200);
        String adminBasic = basic("admin", "admin-pass-456");
        assertThat(call("POST", "/api/v1/users", Map.of("username", "rita", "password", "rita-password-1"), adminBasic).status())
                .isEqualTo(201);
        assertThat(call("POST", "/api/v1/access", Map.of("username", "rita", "role", "Reader"), adminBasic).status()).isEqualTo(200);
        adminBearer = "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "admin"), adminBasic).json().path("token").asText();
        admin = new JobsData(server.http(), adminBearer);
        reader = new JobsData(server.http(), "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "rita"),
                basic("rita", "rita-password-1")).json().path("token").asText());
        HttpJson.Response created = call("POST", "/api/v1/endpoints", Map.of("name", "guarded", "auth_mode", "key",
                "description", "fraud scores"), adminBearer);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aReaderSeesTheEndpointButNotItsKeysNorTheTestForm() {
        String primary = call("GET", "/api/v1/endpoints/guarded/keys", null, adminBearer).json().path("primary_key").asText();
        assertThat(primary).isNotBlank();
        HttpJson.Response seen = reader.page("/endpoints/guarded");
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.text()).contains("fraud scores", "id=\"base-uri\"", "id=\"drift\"")
                .doesNotContain(primary, "id=\"primary-key\"", "id=\"keys-toggle\"", "id=\"regenerate-primary\"", "id=\"test-form\"",
                        "id=\"drift-form\"");
        assertThat(reader.page("/endpoints").text()).contains("data-endpoint=\"guarded\"");
        assertThat(reader.action("/endpoints/guarded/keys/regenerate", "key_type=primary").status()).isEqualTo(403);
        assertThat(reader.action("/endpoints/guarded/traffic", "").status()).isEqualTo(403);

        String byAdmin = admin.page("/endpoints/guarded").text();
        assertThat(byAdmin).contains("id=\"primary-key\">" + primary + "<", "id=\"regenerate-primary\"", "id=\"test-form\"", "id=\"drift-form\"");
        assertThat(admin.action("/endpoints/guarded/keys/regenerate", "key_type=primary").status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/endpoints/guarded/keys", null, adminBearer).json().path("primary_key").asText()).isNotEqualTo(primary);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpJson.Response call(String method, String path, Object body, String authorization) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8);
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").method(method, publisher).build());
    }
}
