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

/**
 * The batch endpoints area with authentication on: a Reader sees a key-auth batch endpoint but not its keys nor the
 * regenerate buttons, and cannot regenerate; an Owner sees both keys masked (their values only in the show and copy
 * buttons' data) and regenerates one.
 */
class BatchPagesAuthTest {
    private static final String PASSWORD = "admin-pass-123";
    private static TestServer server;
    private static JobsData admin;
    private static JobsData reader;
    private static String adminBearer;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-batch-pages-auth"))
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
        HttpJson.Response created = call("POST", "/api/v1/batch-endpoints", Map.of("name", "guarded", "auth_mode", "key",
                "description", "nightly scores"), adminBearer);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aReaderSeesTheEndpointButNotItsKeysAndAnOwnerRegeneratesOne() {
        String keysPath = "/api/v1/batch-endpoints/guarded/keys";
        String primary = call("GET", keysPath, null, adminBearer).json().path("primary_key").asText();
        String secondary = call("GET", keysPath, null, adminBearer).json().path("secondary_key").asText();
        assertThat(primary).isNotBlank();
        HttpJson.Response seen = reader.page("/batch-endpoints/guarded");
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.text()).contains("nightly scores").doesNotContain(primary, secondary, "id=\"keys\"", "id=\"primary-key\"",
                "id=\"regenerate-primary\"");
        assertThat(reader.action("/batch-endpoints/guarded/keys/regenerate", "key_type=primary").status()).isEqualTo(403);

        String byAdmin = admin.page("/batch-endpoints/guarded").text();
        assertThat(byAdmin).contains("id=\"keys\"", "id=\"primary-key\" data-key=\"" + primary + "\">\u2022", "id=\"secondary-key\" data-key=\""
                + secondary + "\">\u2022", "id=\"copy-primary\"", "id=\"show-secondary\"", "id=\"regenerate-primary\"",
                "id=\"regenerate-secondary\"", "/static/batch.js");
        assertThat(byAdmin).as("masked: each key appears only in its data attribute").containsOnlyOnce(primary);
        assertThat(admin.action("/batch-endpoints/guarded/keys/regenerate", "key_type=secondary").status()).isEqualTo(204);
        HttpJson.Response after = call("GET", keysPath, null, adminBearer);
        assertThat(after.json().path("secondary_key").asText()).isNotEqualTo(secondary);
        assertThat(after.json().path("primary_key").asText()).isEqualTo(primary);
        assertThat(admin.action("/batch-endpoints/guarded/keys/regenerate", "key_type=tertiary").status()).isEqualTo(400);
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
