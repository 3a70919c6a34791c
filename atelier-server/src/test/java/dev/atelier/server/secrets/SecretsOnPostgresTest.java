package dev.atelier.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The V4 migration, the secret store and the audit store on PostgreSQL, through the API. */
class SecretsOnPostgresTest {
    @TempDir
    Path dataDir;

    @Test
    void secretsRotationAndAuditWorkOnPostgres() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
             TestServer server = TestServer.start(ServerConfig.forTests(dataDir).withDatabaseUrl(postgres.getJdbcUrl("postgres", "postgres")))) {
            HttpJson http = server.http();
            assertThat(http.post("/api/v1/secrets", Map.of("name", "pg", "value", "pg-1", "description", "d")).status()).isEqualTo(201);
            assertThat(http.post("/api/v1/secrets", Map.of("name", "pg", "value", "again")).errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
            assertThat(http.send("PUT", "/api/v1/secrets/pg", Map.of("value", "pg-2")).json().get("version").asInt()).isEqualTo(2);
            assertThat(http.get("/api/v1/secrets/pg/value?version=1").json().get("value").asText()).isEqualTo("pg-1");
            assertThat(http.get("/api/v1/secrets").json().get("secrets")).hasSize(1);
            assertThat(http.post("/api/v1/admin/rotate-master-key", Map.of()).json().get("versions").asInt()).isEqualTo(2);
            assertThat(http.get("/api/v1/secrets/pg/value").json().get("value").asText()).isEqualTo("pg-2");
            assertThat(http.send("DELETE", "/api/v1/secrets/pg", null).status()).isEqualTo(200);

            JsonNode first = http.get("/api/v1/audit?max_results=2&principal=local&since=0").json();
            assertThat(first.get("events")).hasSize(2);
            JsonNode second = http.get("/api/v1/audit?max_results=2&page_token=" + first.get("next_page_token").asText()).json();
            assertThat(second.get("events")).isNotEmpty();
            assertThat(second.get("events").get(0).get("time").asLong())
                    .isLessThanOrEqualTo(first.get("events").get(1).get("time").asLong());
            assertThat(http.get("/api/v1/admin/audit?workspace=default").json().get("events").toString())
                    .contains("DELETE /api/v1/secrets/{name}").contains("GET /api/v1/secrets/{name}/value");
        }
    }
}
