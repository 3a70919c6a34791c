package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch endpoints area with authentication on: a Reader sees a key-auth batch endpoint but not its keys nor the
 * regenerate buttons, and cannot regenerate; an Owner sees both keys masked (their values only in the show and copy
 * buttons' data) and regenerates one.
 */
class BatchPagesAuthTest {
    private static SignedInPortal portal;
    private static JobsData admin;
    private static JobsData reader;
    private static String adminBearer;

    @BeforeAll
    static void start() {
        portal = SignedInPortal.start("batch-pages-auth");
        portal.addUser("rita", Optional.of("Reader"));
        adminBearer = "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "admin"), portal.admin()).json().path("token").asText();
        admin = new JobsData(portal.server().http(), adminBearer);
        reader = new JobsData(portal.server().http(), "Bearer " + call("POST", "/api/v1/tokens", Map.of("name", "rita"),
                SignedInPortal.basicOf("rita")).json().path("token").asText());
        HttpJson.Response created = call("POST", "/api/v1/batch-endpoints", Map.of("name", "guarded", "auth_mode", "key",
                "description", "nightly scores"), adminBearer);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        portal.close();
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

    private static HttpJson.Response call(String method, String path, Object body, String authorization) {
        return portal.call(method, path, body, authorization);
    }
}
