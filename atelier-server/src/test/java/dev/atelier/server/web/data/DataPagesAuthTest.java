package dev.atelier.server.web.data;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.web.data.DataPortalClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The Data area with authentication on: a Reader sees versions but no archive button and may not archive; a writer may. */
class DataPagesAuthTest {
    private static final String FIRST_PASSWORD = "admin-pass-123";
    private static TestServer server;
    private static DataPortalClient admin;
    private static DataPortalClient reader;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-data-pages-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of(FIRST_PASSWORD), Optional.empty())));
        ok(new DataPortalClient(server::url, Optional.of(basic("admin", FIRST_PASSWORD))).api("POST", "/api/v1/auth/password",
                Map.of("current_password", FIRST_PASSWORD, "new_password", "admin-pass-456")), 200);
        admin = withToken(basic("admin", "admin-pass-456"));
        ok(admin.api("POST", "/api/v1/users", Map.of("username", "rita", "password", "rita-password-1")), 201);
        ok(admin.api("POST", "/api/v1/access", Map.of("username", "rita", "role", "Reader")), 200);
        reader = withToken(basic("rita", "rita-password-1"));
        admin.register("", "guarded", "table", "guarded.csv", "a\n1\n", Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void archivingNeedsWrite() {
        HttpJson.Response page = reader.page("/data/guarded/versions/1");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("id=\"row-count\"").doesNotContain("id=\"archive-version\"");
        HttpJson.Response refused = reader.action("/data/guarded/versions/1/archive");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(admin.api("GET", "/api/v1/data/guarded/versions/1", Map.of()).json().get("archived").asBoolean()).isFalse();

        assertThat(admin.page("/data/guarded/versions/1").text()).contains("id=\"archive-version\"");
        HttpJson.Response archived = admin.action("/data/guarded/versions/1/archive");
        assertThat(archived.status()).as(archived.text()).isEqualTo(204);
        assertThat(admin.api("GET", "/api/v1/data/guarded/versions/1", Map.of()).json().get("archived").asBoolean()).isTrue();
    }

    /** A client sending an API token made with the password once (checking a password on every request is slow by design). */
    private static DataPortalClient withToken(String password) {
        String token = ok(new DataPortalClient(server::url, Optional.of(password)).api("POST", "/api/v1/tokens",
                Map.of("name", "pages")), 201).json().get("token").asText();
        return new DataPortalClient(server::url, Optional.of("Bearer " + token));
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
