package dev.atelier.server.secrets;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secret values stay encrypted at rest, out of logs and out of metadata; tampering is detected. */
class SecretConfidentialityTest {
    @TempDir
    Path dataDir;

    @Test
    void valueIsNeitherInTheDatabaseFilesNorInTheLogNorInMetadata() throws IOException {
        String value = "clear-" + UUID.randomUUID();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (TestServer server = TestServer.start(dataDir)) {
            HttpJson http = server.http();
            assertThat(http.post("/api/v1/secrets", Map.of("name", "api-key", "value", value, "description", "d")).text())
                    .doesNotContain(value);
            assertThat(http.send("PUT", "/api/v1/secrets/api-key", Map.of("value", value + "-2")).text()).doesNotContain(value);
            assertThat(http.get("/api/v1/secrets").text()).contains("api-key").doesNotContain(value);
            assertThat(http.get("/api/v1/secrets/api-key").text()).doesNotContain(value);
            assertThat(http.get("/api/v1/secrets/api-key/value?version=1").json().get("value").asText()).isEqualTo(value);
            assertThat(http.get("/api/v1/admin/audit").text()).contains("api-key").doesNotContain(value);
            // A failing request logs something, which shows that the log is being captured.
            server.server().database().writeVoid(handle -> handle.execute(
                    "UPDATE secret_versions SET ciphertext = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE name = 'api-key' AND version = 2"));
            assertThat(http.get("/api/v1/secrets/api-key/value").status()).isEqualTo(500);

            assertThat(fileContains(dataDir.resolve("atelier.db"), value)).isFalse();
            assertThat(fileContains(dataDir.resolve("atelier.db-wal"), value)).isFalse();
            assertThat(fileContains(dataDir.resolve("atelier.db"), "api-key") || fileContains(dataDir.resolve("atelier.db-wal"), "api-key"))
                    .as("the secret's name is written, so the search looks at the right files").isTrue();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(fileContains(dataDir.resolve("atelier.db"), value)).isFalse();
        String logText = log.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains("integrity check").doesNotContain(value);
    }

    @Test
    void tamperedCiphertextIsAClearErrorNotAWrongValue() {
        try (TestServer server = TestServer.start(dataDir)) {
            HttpJson http = server.http();
            http.post("/api/v1/secrets", Map.of("name", "victim", "value", "victim-value"));
            String stored = server.server().database().read(handle -> handle
                    .createQuery("SELECT ciphertext FROM secret_versions WHERE name = 'victim'").mapTo(String.class).one());
            byte[] bytes = Base64.getDecoder().decode(stored);
            bytes[0] ^= 1;
            String flipped = Base64.getEncoder().encodeToString(bytes);
            server.server().database().writeVoid(handle -> handle.createUpdate(
                    "UPDATE secret_versions SET ciphertext = :c WHERE name = 'victim'").bind("c", flipped).execute());

            HttpJson.Response read = http.get("/api/v1/secrets/victim/value");
            assertThat(read.status()).isEqualTo(500);
            assertThat(read.errorCode()).isEqualTo("INTERNAL_ERROR");
            assertThat(read.json().get("message").asText()).contains("victim").contains("integrity check");
        }
    }

    @Test
    void ciphertextMovedToAnotherSecretDoesNotDecrypt() {
        try (TestServer server = TestServer.start(dataDir)) {
            HttpJson http = server.http();
            http.post("/api/v1/secrets", Map.of("name", "source", "value", "source-value"));
            http.post("/api/v1/secrets", Map.of("name", "target", "value", "target-value"));
            server.server().database().writeVoid(handle -> handle.execute("""
                    UPDATE secret_versions SET
                        nonce = (SELECT nonce FROM secret_versions WHERE name = 'source'),
                        ciphertext = (SELECT ciphertext FROM secret_versions WHERE name = 'source')
                    WHERE name = 'target'
                    """));
            HttpJson.Response read = http.get("/api/v1/secrets/target/value");
            assertThat(read.status()).isEqualTo(500);
            assertThat(read.text()).doesNotContain("source-value");
            assertThat(http.get("/api/v1/secrets/source/value").json().get("value").asText()).isEqualTo("source-value");
        }
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndKeepsValuesReadableAfterRestart() throws IOException {
        try (TestServer server = TestServer.start(dataDir)) {
            server.http().post("/api/v1/secrets", Map.of("name", "kept", "value", "kept-value"));
        }
        Path keyFile = dataDir.resolve("master.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(keyFile).stream().filter(line -> !line.startsWith("#"))).hasSize(1);
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
        try (TestServer server = TestServer.start(dataDir)) {
            assertThat(server.http().get("/api/v1/secrets/kept/value").json().get("value").asText()).isEqualTo("kept-value");
        }
    }

    @Test
    void environmentKeyIsUsedInsteadOfAKeyFileAndCannotBeRotated() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        ServerConfig config = ServerConfig.forTests(dataDir).withSecurity(new SecurityConfig(false, Optional.empty(), Optional.of(key)));
        try (TestServer server = TestServer.start(config)) {
            server.http().post("/api/v1/secrets", Map.of("name", "env", "value", "env-value"));
            assertThat(server.http().get("/api/v1/secrets/env/value").json().get("value").asText()).isEqualTo("env-value");
            HttpJson.Response refused = server.http().post("/api/v1/admin/rotate-master-key", Map.of());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("INVALID_STATE");
            assertThat(refused.json().get("message").asText()).contains("ATELIER_MASTER_KEY");
        }
        assertThat(dataDir.resolve("master.key")).doesNotExist();
        try (TestServer server = TestServer.start(config)) {
            assertThat(server.http().get("/api/v1/secrets/env/value").json().get("value").asText()).isEqualTo("env-value");
        }
    }

    @Test
    void malformedEnvironmentKeyStopsTheStartWithoutEchoingIt() {
        ServerConfig config = ServerConfig.forTests(dataDir).withSecurity(new SecurityConfig(false, Optional.empty(),
                Optional.of("c2hvcnQta2V5")));
        assertThatThrownBy(() -> TestServer.start(config))
                .hasMessageContaining("ATELIER_MASTER_KEY").hasMessageContaining("32")
                .hasMessageNotContaining("c2hvcnQta2V5");
    }

    private static boolean fileContains(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        byte[] haystack = Files.readAllBytes(file);
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
