package dev.atelier.sdk;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The security clients against a real server started with authentication (docs/security.md). */
class SecurityRoundTripTest {
    private static final String FIRST_PASSWORD = "first-admin-password-1";
    private static final String ADMIN_PASSWORD = "changed-admin-password-2";

    @TempDir
    static Path dataDir;

    private static AtelierServer server;
    private static AtelierClient admin;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir)
                .withSecurity(new SecurityConfig(true, Optional.of(FIRST_PASSWORD), Optional.empty())));
        try (AtelierClient first = AtelierClient.builder(server.url()).credentials(Credentials.basic("admin", FIRST_PASSWORD)).build()) {
            first.auth().changePassword(FIRST_PASSWORD, ADMIN_PASSWORD);
            CreatedToken token = first.auth().login("admin", ADMIN_PASSWORD, "round-trip");
            admin = AtelierClient.builder(server.url()).credentials(Credentials.token(token.secret())).build();
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    private static AtelierClient as(String username, String password, String workspace) {
        return AtelierClient.builder(server.url()).workspace(workspace).credentials(Credentials.basic(username, password)).build();
    }

    @Test
    void withoutCredentialsTheServerAnswersUnauthenticated() {
        try (AtelierClient anonymous = AtelierClient.builder(server.url()).credentials(Credentials.NONE).build()) {
            assertThatThrownBy(() -> anonymous.workspaces().list()).isInstanceOfSatisfying(AtelierException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        }
    }

    @Test
    void adminCreatesAUserWhoGetsARoleAndReadsASecret() {
        admin.workspaces().create("round-trip");
        admin.users().create(new NewUser("bob", "bob-password-123", Optional.of("Bob"), Optional.empty(), false));
        try (AtelierClient adminInWorkspace = AtelierClient.builder(server.url()).workspace("round-trip")
                .credentials(Credentials.token(admin.auth().login("admin", ADMIN_PASSWORD, "ws").secret())).build()) {
            adminInWorkspace.access().grant("bob", Role.DATA_SCIENTIST);
            adminInWorkspace.secrets().create("db", "s3cr3t", Optional.of("database"));
            assertThat(adminInWorkspace.access().list()).extracting(RoleAssignment::username).contains("bob");
        }
        try (AtelierClient bob = as("bob", "bob-password-123", "round-trip")) {
            assertThat(bob.auth().me().roles()).containsEntry("round-trip", "Data Scientist");
            assertThat(bob.secrets().value("db").value()).isEqualTo("s3cr3t");
            assertThatThrownBy(() -> bob.secrets().delete("db")).isInstanceOfSatisfying(AtelierException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED));
            assertThatThrownBy(() -> bob.users().list()).isInstanceOfSatisfying(AtelierException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        }
        assertThat(admin.admin().audit().list(AuditQuery.ALL.withWorkspace("round-trip"), 100))
                .extracting(AuditEvent::outcome).contains("allowed", "denied");
    }

    @Test
    void tokensAreListedWithoutSecretsAndRevokedTokensAreRefused() {
        CreatedToken created = admin.tokens().create(TokenRequest.named("short-lived"));
        assertThat(admin.tokens().list()).extracting(ApiToken::id).contains(created.token().id());
        assertThat(admin.tokens().list()).allSatisfy(token -> assertThat(token.json().has("token")).isFalse());

        admin.tokens().revoke(created.token().id());

        try (AtelierClient revoked = AtelierClient.builder(server.url()).credentials(Credentials.token(created.secret())).build()) {
            assertThatThrownBy(() -> revoked.auth().me()).isInstanceOfSatisfying(AtelierException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        }
    }

    @Test
    void rotatingTheMasterKeyKeepsSecretsReadable() {
        admin.secrets().create("kept", "value-1", Optional.empty());

        assertThat(admin.admin().rotateMasterKey()).isPositive();
        assertThat(admin.secrets().value("kept").value()).isEqualTo("value-1");
    }
}
