package dev.atelier.server.auth;

import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint auth with authentication on: a key-auth endpoint takes its keys (primary, secondary, a
 * regenerated one) and nothing else, Atelier tokens included; a token-auth endpoint takes tokens with
 * WRITE in its workspace; reading keys needs WRITE.
 */
class EndpointTokenAuthTest {
    @TempDir
    static Path scratch;
    private static SecuredServer server;
    private static HttpJson admin;
    private static final String BODY = "{\"inputs\": [[0.1, 0.9]]}";

    @BeforeAll
    static void deploy() throws Exception {
        server = SecuredServer.start();
        admin = server.server().http().withHeader("Authorization", server.admin());
        ServingFixture serving = new ServingFixture(admin, scratch);
        serving.registerOnnx("auth-onnx");
        serving.createEndpoint("name: keyed\nauth_mode: key\n");
        serving.createDeployment("keyed", "name: blue\nmodel: models:/auth-onnx/1\n");
        serving.createEndpoint("name: tokened\nauth_mode: aml_token\n");
        serving.createDeployment("tokened", "name: blue\nmodel: models:/auth-onnx/1\n");
        assertThat(serving.awaitProvisioned("keyed", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
        assertThat(serving.awaitProvisioned("tokened", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keyEndpointsTakeTheirPrimarySecondaryAndRegeneratedKeysOnly() {
        Map<?, ?> keys = Map.of("primary", admin.get("/api/v1/endpoints/keyed/keys").json().path("primary_key").asText(),
                "secondary", admin.get("/api/v1/endpoints/keyed/keys").json().path("secondary_key").asText());
        assertThat(score("keyed", null).status()).isEqualTo(401);
        assertThat(score("keyed", "Bearer wrong-key").status()).isEqualTo(401);
        assertThat(score("keyed", server.admin()).status()).as("an Atelier token is not a key").isEqualTo(401);
        assertThat(score("keyed", "Bearer " + keys.get("primary")).status()).isEqualTo(200);
        assertThat(score("keyed", "Bearer " + keys.get("secondary")).status()).isEqualTo(200);

        String regenerated = admin.post("/api/v1/endpoints/keyed/keys/regenerate", Map.of("key_type", "primary")).json()
                .path("primary_key").asText();
        assertThat(score("keyed", "Bearer " + keys.get("primary")).status()).as("the old primary key").isEqualTo(401);
        assertThat(score("keyed", "Bearer " + regenerated).status()).isEqualTo(200);
        assertThat(score("keyed", "Bearer " + keys.get("secondary")).status()).isEqualTo(200);

        String reader = SecuredServer.bearer(server.userWithRole("key-reader", "default", "Reader"));
        assertThat(server.call("GET", "/api/v1/endpoints/keyed/keys", null, reader).status()).isEqualTo(403);
        assertThat(server.call("GET", "/api/v1/endpoints/keyed", null, reader).status()).isEqualTo(200);
    }

    @Test
    void tokenEndpointsTakeTokensWithWriteInTheirWorkspace() {
        String scientist = SecuredServer.bearer(server.userWithRole("scorer", "default", "Data Scientist"));
        String reader = SecuredServer.bearer(server.userWithRole("watcher", "default", "Reader"));
        assertThat(score("tokened", null).status()).isEqualTo(401);
        assertThat(score("tokened", "Bearer atl_not-a-token").status()).isEqualTo(401);
        assertThat(score("tokened", reader).status()).isEqualTo(403);
        assertThat(score("tokened", scientist).status()).isEqualTo(200);
        assertThat(server.call("GET", "/endpoints/tokened/ping", null, null).status()).as("health probes need no credentials")
                .isEqualTo(200);
    }

    private static HttpJson.Response score(String endpoint, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/endpoints/" + endpoint + "/invocations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.server().http().send(request.build());
    }
}
