package dev.atelier.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The secrets routes of docs/security.md: create, versions, metadata, value, delete, and their rules. */
class SecretApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    @Test
    void secretIsCreatedVersionedReadAndDeleted() {
        HttpJson.Response created = http.post("/api/v1/secrets", Map.of("name", "db-password", "value", "first-value",
                "description", "warehouse"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode metadata = created.json();
        assertThat(metadata.get("name").asText()).isEqualTo("db-password");
        assertThat(metadata.get("version").asInt()).isEqualTo(1);
        assertThat(metadata.get("description").asText()).isEqualTo("warehouse");
        assertThat(metadata.get("created_by").asText()).isEqualTo("local");
        assertThat(metadata.get("created_at").asLong()).isPositive().isEqualTo(metadata.get("updated_at").asLong());
        assertThat(metadata.has("value")).isFalse();

        JsonNode second = http.send("PUT", "/api/v1/secrets/db-password", Map.of("value", "second-value")).json();
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(second.get("description").asText()).isEqualTo("warehouse");
        assertThat(second.get("updated_at").asLong()).isGreaterThanOrEqualTo(second.get("created_at").asLong());
        JsonNode third = http.send("PUT", "/api/v1/secrets/db-password", Map.of("value", "third-value", "description", "rotated")).json();
        assertThat(third.get("version").asInt()).isEqualTo(3);
        assertThat(third.get("description").asText()).isEqualTo("rotated");

        JsonNode value = http.get("/api/v1/secrets/db-password/value").json();
        assertThat(value.get("name").asText()).isEqualTo("db-password");
        assertThat(value.get("version").asInt()).isEqualTo(3);
        assertThat(value.get("value").asText()).isEqualTo("third-value");
        assertThat(http.get("/api/v1/secrets/db-password/value?version=1").json().get("value").asText()).isEqualTo("first-value");
        assertThat(http.get("/api/v1/secrets/db-password/value?version=9").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        JsonNode one = http.get("/api/v1/secrets/db-password").json();
        assertThat(one.get("version").asInt()).isEqualTo(3);
        assertThat(one.toString()).doesNotContain("third-value");
        assertThat(http.get("/api/v1/secrets").json().get("secrets").toString()).contains("db-password").doesNotContain("-value");

        assertThat(http.send("DELETE", "/api/v1/secrets/db-password", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/secrets/db-password").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.get("/api/v1/secrets/db-password/value").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.send("DELETE", "/api/v1/secrets/db-password", null).errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        // A deleted name can be used again, from version 1.
        assertThat(http.post("/api/v1/secrets", Map.of("name", "db-password", "value", "again")).json().get("version").asInt())
                .isEqualTo(1);
    }

    @Test
    void unicodeAndMultilineValuesRoundTrip() {
        String value = "-----BEGIN KEY-----\nzażółć gęślą jaźń 🔑\n\"quoted\" \\ back\n-----END KEY-----\n";
        http.post("/api/v1/secrets", Map.of("name", "pem.key_1", "value", value));
        assertThat(http.get("/api/v1/secrets/pem.key_1/value").json().get("value").asText()).isEqualTo(value);
    }

    @Test
    void duplicateCreateIsRefusedAsAlreadyExists() {
        http.post("/api/v1/secrets", Map.of("name", "twice", "value", "v"));
        HttpJson.Response again = http.post("/api/v1/secrets", Map.of("name", "twice", "value", "w"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(http.get("/api/v1/secrets/twice/value").json().get("value").asText()).isEqualTo("v");
    }

    @Test
    void updatingAMissingSecretIsResourceDoesNotExist() {
        HttpJson.Response missing = http.send("PUT", "/api/v1/secrets/never-created", Map.of("value", "v"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void invalidNamesAreRefusedNamingTheField() {
        for (String name : new String[] {"", "-leading-dash", "has space", "slash/inside", "x".repeat(129), "ünicode"}) {
            HttpJson.Response refused = http.post("/api/v1/secrets", Map.of("name", name, "value", "v"));
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(refused.json().get("message").asText()).contains("'name'");
        }
        assertThat(http.post("/api/v1/secrets", Map.of("name", "A" + "b".repeat(127), "value", "v")).status()).isEqualTo(201);
    }

    @Test
    void valuesMustBeNonEmptyStringsWithinTheSizeLimit() {
        assertThat(http.post("/api/v1/secrets", Map.of("name", "no-value")).json().get("message").asText()).contains("'value'");
        assertThat(http.post("/api/v1/secrets", Map.of("name", "empty", "value", "")).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        HttpJson.Response object = http.post("/api/v1/secrets", Map.of("name", "object", "value", Map.of("nested", "hidden-text")));
        assertThat(object.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(object.text()).contains("'value'").doesNotContain("hidden-text");

        HttpJson.Response tooLarge = http.post("/api/v1/secrets", Map.of("name", "large", "value", "x".repeat(64 * 1024 + 1)));
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.json().get("message").asText()).contains("'value'").contains("65537").contains("65536");
        assertThat(http.post("/api/v1/secrets", Map.of("name", "largest", "value", "x".repeat(64 * 1024))).status()).isEqualTo(201);
        assertThat(http.get("/api/v1/secrets/largest/value").json().get("value").asText()).hasSize(64 * 1024);
        assertThat(http.get("/api/v1/secrets/large").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void secretsBelongToTheirWorkspaceAndGoWithIt() {
        http.post("/api/v1/workspaces", Map.of("name", "vault-a"));
        http.post("/api/v1/workspaces", Map.of("name", "vault-b"));
        http.post("/w/vault-a/api/v1/secrets", Map.of("name", "token", "value", "a-value"));
        http.post("/w/vault-b/api/v1/secrets", Map.of("name", "token", "value", "b-value"));
        assertThat(http.get("/w/vault-a/api/v1/secrets/token/value").json().get("value").asText()).isEqualTo("a-value");
        assertThat(http.get("/w/vault-b/api/v1/secrets/token/value").json().get("value").asText()).isEqualTo("b-value");
        assertThat(http.get("/api/v1/secrets/token").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        assertThat(http.send("DELETE", "/api/v1/workspaces/vault-a", null).errorCode())
                .as("a workspace holding secrets needs force").isEqualTo("INVALID_STATE");
        assertThat(http.send("DELETE", "/api/v1/workspaces/vault-a?force=true", null).status()).isEqualTo(200);
        http.post("/api/v1/workspaces", Map.of("name", "vault-a"));
        assertThat(http.get("/w/vault-a/api/v1/secrets/token").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.get("/w/vault-a/api/v1/secrets").json().path("secrets")).isEmpty();
        assertThat(http.get("/w/vault-b/api/v1/secrets/token/value").json().get("value").asText()).isEqualTo("b-value");
        Integer leftRows = server.server().server().database().read(handle -> handle
                .createQuery("SELECT COUNT(*) FROM secret_versions WHERE workspace = 'vault-a'").mapTo(Integer.class).one());
        assertThat(leftRows).isZero();
    }
}
