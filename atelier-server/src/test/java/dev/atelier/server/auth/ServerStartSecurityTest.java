package dev.atelier.server.auth;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without authentication the server only listens on loopback; with it, anywhere. */
class ServerStartSecurityTest {
    @Test
    void refusesToListenOnAllAddressesWithoutAuth() throws Exception {
        ServerConfig config = new ServerConfig("0.0.0.0", 0, Files.createTempDirectory("atelier-open"), Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> AtelierServer.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--auth");
    }

    @Test
    void listensOnAllAddressesWithAuthAndRequiresCredentials() throws Exception {
        Path dataDir = Files.createTempDirectory("atelier-open-auth");
        ServerConfig config = new ServerConfig("0.0.0.0", 0, dataDir, Optional.empty(), Optional.empty(),
                new SecurityConfig(true, Optional.of("admin-pass-123"), Optional.empty()));
        try (AtelierServer server = AtelierServer.start(config)) {
            HttpJson http = new HttpJson(server.url());
            assertThat(http.get("/health").status()).isEqualTo(200);
            assertThat(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status()).isEqualTo(401);
        }
    }
}
