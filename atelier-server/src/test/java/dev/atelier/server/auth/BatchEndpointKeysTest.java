package dev.atelier.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.batch.BatchFixture;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch endpoint keys with authentication on: a key-auth batch endpoint is invoked with its primary, secondary or a
 * regenerated key, or with a token that has WRITE; a wrong or old key is refused (401), a Reader's token too (403);
 * reading keys needs WRITE, and an endpoint without key auth has none.
 */
class BatchEndpointKeysTest {
    @TempDir
    static Path scratch;
    private static SecuredServer server;
    private static HttpJson admin;
    private static BatchFixture batch;
    private static final Map<String, Object> INVOKE = Map.of("input", Map.of("path", "azureml:key-points@latest"));

    @BeforeAll
    static void deploy() throws Exception {
        server = SecuredServer.start();
        admin = server.server().http().withHeader("Authorization", server.admin());
        ServingFixture serving = new ServingFixture(admin, scratch);
        serving.registerOnnx("key-onnx");
        batch = new BatchFixture(admin);
        batch.uploadFolder("key-points", Map.of("a.csv", BatchFixture.points(5, 1)));
        for (String name : new String[] {"keyed", "tokened"}) {
            batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: " + name + "\nauth_mode: "
                    + (name.equals("keyed") ? "key" : "aad_token") + "\n"));
            batch.created(batch.postYaml("/api/v1/batch-endpoints/" + name + "/deployments", "name: onnx\nmodel: azureml:key-onnx:1\n"));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpJson.Response invoke(String endpoint, String authorization) {
        return server.call("POST", "/api/v1/batch-endpoints/" + endpoint + "/invoke", INVOKE, authorization);
    }

    @Test
    void aKeyEndpointIsInvokedWithItsKeysOrATokenWithWrite() {
        JsonNode keys = admin.get("/api/v1/batch-endpoints/keyed/keys").json();
        String primary = keys.path("primary_key").asText();
        String secondary = keys.path("secondary_key").asText();
        assertThat(primary).isNotBlank().isNotEqualTo(secondary);

        assertThat(invoke("keyed", null).status()).isEqualTo(401);
        assertThat(invoke("keyed", "Bearer wrong-key").status()).isEqualTo(401);
        assertThat(invoke("nowhere", "Bearer " + primary).status()).as("a key opens its own endpoint only").isEqualTo(401);
        HttpJson.Response started = invoke("keyed", "Bearer " + primary);
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        JsonNode ended = batch.awaitEnded(started.json().path("name").asText(), Duration.ofSeconds(90));
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
        assertThat(invoke("keyed", "Bearer " + secondary).status()).isEqualTo(201);

        String regenerated = admin.post("/api/v1/batch-endpoints/keyed/keys/regenerate", Map.of("key_type", "primary")).json()
                .path("primary_key").asText();
        assertThat(invoke("keyed", "Bearer " + primary).status()).as("the old primary key").isEqualTo(401);
        assertThat(invoke("keyed", "Bearer " + regenerated).status()).isEqualTo(201);

        String reader = SecuredServer.bearer(server.userWithRole("batch-reader", "default", "Reader"));
        String scientist = SecuredServer.bearer(server.userWithRole("batch-scientist", "default", "Data Scientist"));
        assertThat(invoke("keyed", reader).status()).isEqualTo(403);
        assertThat(invoke("keyed", scientist).status()).isEqualTo(201);
        assertThat(server.call("GET", "/api/v1/batch-endpoints/keyed/keys", null, reader).status()).isEqualTo(403);
    }

    @Test
    void aTokenEndpointHasNoKeysAndTakesTokens() {
        assertThat(admin.get("/api/v1/batch-endpoints/tokened/keys").status()).isEqualTo(400);
        String keyOfAnother = admin.get("/api/v1/batch-endpoints/keyed/keys").json().path("secondary_key").asText();
        assertThat(invoke("tokened", "Bearer " + keyOfAnother).status()).isEqualTo(401);
        assertThat(invoke("tokened", server.admin()).status()).isEqualTo(201);
    }
}
