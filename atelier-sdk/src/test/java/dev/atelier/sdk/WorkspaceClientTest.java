package dev.atelier.sdk;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.Workspace;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceClientTest {
    @TempDir
    static Path dataDir;

    private static AtelierServer server;
    private static AtelierClient client;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir));
        client = AtelierClient.connect(server.url());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void createGetUpdateListAndDeleteRoundTrip() {
        Workspace created = client.workspaces().create("round-trip", "a team", Map.of("owner", "ada"));
        assertThat(created.name()).isEqualTo("round-trip");
        assertThat(created.creationTime()).isPositive();

        Workspace fetched = client.workspaces().get("round-trip");
        assertThat(fetched.description()).isEqualTo("a team");
        assertThat(fetched.tags()).containsExactly(Map.entry("owner", "ada"));

        Map<String, String> tagChanges = new HashMap<>();
        tagChanges.put("owner", null);
        tagChanges.put("stage", "prod");
        Workspace updated = client.workspaces().update("round-trip", Optional.of("the team"), tagChanges);
        assertThat(updated.description()).isEqualTo("the team");
        assertThat(updated.tags()).containsExactly(Map.entry("stage", "prod"));

        assertThat(client.workspaces().list()).extracting(Workspace::name).contains("default", "round-trip");

        client.workspaces().delete("round-trip", false);
        assertThat(client.workspaces().list()).extracting(Workspace::name).doesNotContain("round-trip");
    }

    @Test
    void trailingSlashOfTheBaseUrlIsIgnored() {
        try (AtelierClient slashed = AtelierClient.connect(server.url() + "/")) {
            assertThat(slashed.baseUrl()).isEqualTo(server.url());
            assertThat(slashed.workspaces().get("default").name()).isEqualTo("default");
        }
    }

    @Test
    void unknownWorkspaceIsResourceDoesNotExist() {
        assertThatThrownBy(() -> client.workspaces().get("no-such-workspace"))
                .isInstanceOfSatisfying(AtelierException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                    assertThat(e.getMessage()).contains("no-such-workspace");
                });
    }

    @Test
    void duplicateWorkspaceIsResourceAlreadyExists() {
        client.workspaces().create("duplicate");
        assertThatThrownBy(() -> client.workspaces().create("duplicate"))
                .isInstanceOfSatisfying(AtelierException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
    }

    @Test
    void invalidNameIsInvalidParameterValueNamingTheName() {
        assertThatThrownBy(() -> client.workspaces().create("Not Valid"))
                .isInstanceOfSatisfying(AtelierException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("Not Valid");
                });
    }

    @Test
    void deletingTheDefaultWorkspaceIsRefused() {
        assertThatThrownBy(() -> client.workspaces().delete("default", true))
                .isInstanceOfSatisfying(AtelierException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }
}
