package dev.atelier.server.secrets;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Master key rotation end to end, and that a rotation interrupted between any two steps loses nothing. */
class MasterKeyRotationTest {
    @TempDir
    Path dataDir;

    @Test
    void rotationReencryptsEveryVersionUnderANewKeyAndDropsTheOldOne() throws IOException {
        List<String> keysBefore;
        try (TestServer server = TestServer.start(dataDir)) {
            storeSecrets(server.http());
            keysBefore = keyLines();
            HttpJson.Response rotated = server.http().post("/api/v1/admin/rotate-master-key", Map.of());
            assertThat(rotated.status()).isEqualTo(200);
            assertThat(rotated.json().get("secrets").asInt()).isEqualTo(3);
            assertThat(rotated.json().get("versions").asInt()).isEqualTo(4);
            String newKeyId = rotated.json().get("key_id").asText();
            List<String> storedKeyIds = server.server().database().read(handle -> handle
                    .createQuery("SELECT DISTINCT key_id FROM secret_versions").mapTo(String.class).list());
            assertThat(storedKeyIds).containsExactly(newKeyId);
            assertSecretsReadable(server.http());
            // New writes after the rotation use the new key too.
            server.http().send("PUT", "/api/v1/secrets/alpha", Map.of("value", "alpha-3"));
            assertThat(server.http().get("/api/v1/secrets/alpha/value").json().get("value").asText()).isEqualTo("alpha-3");
        }
        assertThat(keyLines()).hasSize(1).doesNotContainAnyElementsOf(keysBefore);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("master.key")))).isEqualTo("rw-------");
        try (TestServer server = TestServer.start(dataDir)) {
            assertThat(server.http().get("/api/v1/secrets/beta/value").json().get("value").asText()).isEqualTo("beta-1");
        }
    }

    @ParameterizedTest
    @EnumSource(RotationStep.class)
    void rotationInterruptedAfterAnyStepLosesNothing(RotationStep failingStep) throws IOException {
        try (TestServer server = TestServer.start(dataDir)) {
            storeSecrets(server.http());
        }
        try (Vault vault = new Vault(dataDir)) {
            assertThatThrownBy(() -> vault.secrets.rotateMasterKey(step -> {
                if (step == failingStep) {
                    throw new IllegalStateException("simulated crash after " + step);
                }
            })).hasMessageContaining("simulated crash");
        }
        assertThat(keyLines()).hasSize(failingStep == RotationStep.KEYRING_TRIMMED ? 1 : 2);

        try (TestServer restarted = TestServer.start(dataDir)) {
            assertSecretsReadable(restarted.http());
            assertThat(restarted.http().post("/api/v1/admin/rotate-master-key", Map.of()).json().get("versions").asInt())
                    .as("running the rotation again finishes it").isEqualTo(4);
            assertSecretsReadable(restarted.http());
        }
        assertThat(keyLines()).hasSize(1);
    }

    /**
     * A power loss right after the key file was trimmed keeps the database file as last synced and loses what SQLite
     * had only in its WAL (commits with synchronous=NORMAL are not synced): the re-encrypted values must be in the file.
     */
    @Test
    void aPowerLossAfterTheTrimLeavesEverySecretReadable(@TempDir Path afterPowerLoss) throws IOException {
        try (TestServer server = TestServer.start(dataDir)) {
            storeSecrets(server.http());
        }
        try (Vault vault = new Vault(dataDir)) {
            vault.secrets.rotateMasterKey(step -> {
                if (step == RotationStep.KEYRING_TRIMMED) {
                    try {
                        // what survives: the synced database file (not its WAL) and the key file (written with a sync)
                        Files.copy(dataDir.resolve("atelier.db"), afterPowerLoss.resolve("atelier.db"));
                        Files.copy(dataDir.resolve("master.key"), afterPowerLoss.resolve("master.key"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }
        try (TestServer restarted = TestServer.start(afterPowerLoss)) {
            assertSecretsReadable(restarted.http());
        }
    }

    @Test
    void resolveReadsTheCurrentValueAndIsAudited() {
        try (TestServer server = TestServer.start(dataDir)) {
            storeSecrets(server.http());
        }
        try (Vault vault = new Vault(dataDir)) {
            assertThat(vault.secrets.resolve("default", "alpha")).isEqualTo("alpha-2");
            assertThat(vault.secrets.resolve("default", "beta", "job:42")).isEqualTo("beta-1");
            assertThatThrownBy(() -> vault.secrets.resolve("default", "missing")).hasMessageContaining("does not exist");
            vault.audit.flush();
            List<String> events = vault.database.read(handle -> handle.createQuery("""
                            SELECT principal || ' ' || action || ' ' || target || ' ' || outcome || ' ' || status
                            FROM audit_events WHERE action = 'RESOLVE secret' ORDER BY event_time, target""")
                    .mapTo(String.class).list());
            assertThat(events).containsExactlyInAnyOrder(
                    "system RESOLVE secret secrets/alpha allowed 200",
                    "job:42 RESOLVE secret secrets/beta allowed 200",
                    "system RESOLVE secret secrets/missing failed 404");
        }
    }

    private static void storeSecrets(HttpJson http) {
        http.post("/api/v1/workspaces", Map.of("name", "rotation-team"));
        http.post("/api/v1/secrets", Map.of("name", "alpha", "value", "alpha-1"));
        http.send("PUT", "/api/v1/secrets/alpha", Map.of("value", "alpha-2"));
        http.post("/api/v1/secrets", Map.of("name", "beta", "value", "beta-1"));
        http.post("/w/rotation-team/api/v1/secrets", Map.of("name", "alpha", "value", "team-alpha-1"));
    }

    private static void assertSecretsReadable(HttpJson http) {
        assertThat(http.get("/api/v1/secrets/alpha/value?version=1").json().get("value").asText()).isEqualTo("alpha-1");
        assertThat(http.get("/api/v1/secrets/alpha/value").json().get("value").asText()).isEqualTo("alpha-2");
        assertThat(http.get("/api/v1/secrets/beta/value").json().get("value").asText()).isEqualTo("beta-1");
        assertThat(http.get("/w/rotation-team/api/v1/secrets/alpha/value").json().get("value").asText()).isEqualTo("team-alpha-1");
    }

    private List<String> keyLines() throws IOException {
        return Files.readAllLines(dataDir.resolve("master.key")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
    }
}
