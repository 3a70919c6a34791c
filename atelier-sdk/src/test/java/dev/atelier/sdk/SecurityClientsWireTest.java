package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the security clients send and how they read the answers, per docs/security.md, against a
 * hand-written fake (the real routes are being built; SecurityRoundTripTest runs against them).
 */
class SecurityClientsWireTest {
    private FakeAtelierServer fake;
    private AtelierClient client;
    private AtelierClient teamClient;

    @BeforeEach
    void start() {
        fake = FakeAtelierServer.start();
        client = AtelierClient.builder(fake.url()).credentials(Credentials.token("atl_admin")).build();
        teamClient = AtelierClient.builder(fake.url()).workspace("team-a").credentials(Credentials.token("atl_admin")).build();
    }

    @AfterEach
    void stop() {
        client.close();
        teamClient.close();
        fake.close();
    }

    private JsonNode lastBody() throws IOException {
        return HttpTransport.mapper().readTree(fake.lastRequest().body());
    }

    @Test
    void loginCreatesATokenWithThePasswordAsBasicWhateverTheClientsCredentials() throws IOException {
        fake.answer("POST", "/api/v1/tokens", 200, """
                {"id":"12","name":"cli-host","token":"atl_new","workspace":null,"read_only":false,"expires_at":null,
                 "created_at":"2025-01-31T12:00:00Z"}""");

        CreatedToken created = client.auth().login("ada", "pw", "cli-host");

        assertThat(created.secret()).isEqualTo("atl_new");
        assertThat(created.token().id()).isEqualTo("12");
        assertThat(created.token().workspace()).isEmpty();
        assertThat(created.token().createdAt()).contains(Instant.parse("2025-01-31T12:00:00Z"));
        assertThat(fake.lastRequest().header("Authorization"))
                .contains("Basic " + Base64.getEncoder().encodeToString("ada:pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(lastBody().get("name").asText()).isEqualTo("cli-host");
    }

    @Test
    void meReadsRolesByWorkspace() {
        fake.answer("GET", "/api/v1/auth/me", 200, """
                {"username":"ada","display_name":"Ada","email":"ada@example.org","server_admin":true,
                 "must_change_password":false,"roles":{"team-a":"Owner","default":"Reader"}}""");

        CurrentUser me = client.auth().me();

        assertThat(me.username()).isEqualTo("ada");
        assertThat(me.serverAdmin()).isTrue();
        assertThat(me.roles()).containsEntry("team-a", "Owner").containsEntry("default", "Reader");
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_admin");
    }

    @Test
    void changePasswordSendsBothPasswords() throws IOException {
        fake.answer("POST", "/api/v1/auth/password", 200, "{}");

        client.auth().changePassword("old", "new");

        assertThat(lastBody().get("current_password").asText()).isEqualTo("old");
        assertThat(lastBody().get("new_password").asText()).isEqualTo("new");
    }

    @Test
    void usersCreateSendsOnlyWhatWasGiven() throws IOException {
        fake.answer("POST", "/api/v1/users", 200, "{\"username\":\"bob\",\"display_name\":\"Bob\",\"server_admin\":false,"
                + "\"disabled\":false,\"created_at\":1738324800000}");

        User bob = client.users().create(new NewUser("bob", "pw", Optional.of("Bob"), Optional.empty(), false));

        assertThat(bob.displayName()).isEqualTo("Bob");
        assertThat(bob.createdAt()).contains(Instant.ofEpochMilli(1738324800000L));
        assertThat(lastBody().properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("username", "password", "display_name");
    }

    @Test
    void usersDisableAndResetPassword() throws IOException {
        fake.answer("PATCH", "/api/v1/users/bob", 200, "{\"username\":\"bob\",\"disabled\":true}")
                .answer("POST", "/api/v1/users/bob/reset-password", 200, "{\"password\":\"generated-1\"}");

        assertThat(client.users().update("bob", UserUpdate.disabled(true)).disabled()).isTrue();
        assertThat(lastBody().toString()).isEqualTo("{\"disabled\":true}");
        assertThat(client.users().resetPassword("bob", Optional.empty())).isEqualTo("generated-1");
        assertThat(lastBody().toString()).isEqualTo("{}");
    }

    @Test
    void tokensCreateSendsExpiryWorkspaceAndReadOnly() throws IOException {
        fake.answer("POST", "/api/v1/tokens", 200, "{\"id\":\"3\",\"name\":\"ci\",\"token\":\"atl_ci\",\"workspace\":\"team-a\","
                + "\"read_only\":true}");

        CreatedToken created = client.tokens().create(new TokenRequest("ci", Optional.of(30), Optional.of("team-a"), true));

        assertThat(created.token().workspace()).contains("team-a");
        assertThat(created.token().readOnly()).isTrue();
        JsonNode body = lastBody();
        assertThat(body.get("expires_in_days").asInt()).isEqualTo(30);
        assertThat(body.get("workspace").asText()).isEqualTo("team-a");
        assertThat(body.get("read_only").asBoolean()).isTrue();
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_admin");
    }

    @Test
    void tokensListAndRevoke() {
        fake.answer("GET", "/api/v1/tokens", 200, "{\"tokens\":[{\"id\":\"3\",\"name\":\"ci\"},{\"id\":\"4\",\"name\":\"cli-x\"}]}")
                .answer("DELETE", "/api/v1/tokens/3", 200, "{}");

        assertThat(client.tokens().list()).extracting(ApiToken::name).containsExactly("ci", "cli-x");
        client.tokens().revoke("3");
        assertThat(fake.lastRequest().method()).isEqualTo("DELETE");
    }

    @Test
    void accessRoutesAreServedUnderTheWorkspacePrefix() throws IOException {
        fake.answer("POST", "/w/team-a/api/v1/access", 200, "{}")
                .answer("GET", "/w/team-a/api/v1/access", 200, "{\"assignments\":[{\"username\":\"bob\",\"role\":\"Data Scientist\"}]}")
                .answer("DELETE", "/w/team-a/api/v1/access/bob", 200, "{}");

        teamClient.access().grant("bob", Role.DATA_SCIENTIST);
        assertThat(lastBody().get("role").asText()).isEqualTo("Data Scientist");
        assertThat(teamClient.access().list()).containsExactly(
                new RoleAssignment("bob", "Data Scientist", HttpTransport.mapper().readTree("{\"username\":\"bob\",\"role\":\"Data Scientist\"}")));
        teamClient.access().revoke("bob");
        assertThat(fake.lastRequest().path()).isEqualTo("/w/team-a/api/v1/access/bob");
    }

    @Test
    void secretsOfTheDefaultWorkspaceHaveNoPrefixAndUpdateIsAPut() throws IOException {
        String metadata = "{\"name\":\"db\",\"version\":2,\"description\":\"d\",\"created_by\":\"ada\"}";
        fake.answer("POST", "/api/v1/secrets", 200, metadata)
                .answer("PUT", "/api/v1/secrets/db", 200, metadata)
                .answer("GET", "/api/v1/secrets/db/value", 200, "{\"name\":\"db\",\"version\":2,\"value\":\"s3cr3t\"}");

        client.secrets().create("db", "v1", Optional.empty());
        assertThat(lastBody().toString()).isEqualTo("{\"name\":\"db\",\"value\":\"v1\"}");
        assertThat(client.secrets().update("db", "v2", Optional.of("d")).version()).isEqualTo(2);
        assertThat(lastBody().toString()).isEqualTo("{\"value\":\"v2\",\"description\":\"d\"}");
        assertThat(client.secrets().value("db")).isEqualTo(new SecretValue("db", 2, "s3cr3t"));
    }

    @Test
    void auditSendsFiltersAndFollowsPagesUpToMax() {
        fake.answer("GET", "/w/team-a/api/v1/audit", 200, """
                {"events":[{"time":"2025-01-31T12:00:00Z","principal":"ada","workspace":"team-a","action":"POST /api/v1/secrets",
                 "target":"/w/team-a/api/v1/secrets","outcome":"allowed","status":200,"client_address":"127.0.0.1"}],
                 "next_page_token":"p2"}""");

        AuditQuery query = AuditQuery.ALL.withSince(Instant.parse("2025-01-31T11:00:00Z")).withPrincipal("ada");
        assertThat(teamClient.audit().list(query, 2)).hasSize(2).allSatisfy(event -> {
            assertThat(event.outcome()).isEqualTo("allowed");
            assertThat(event.status()).isEqualTo(200);
        });

        assertThat(fake.requests()).hasSize(2);
        assertThat(fake.requests().get(0).query()).isEqualTo("since=1738321200000&principal=ada&max_results=2");
        assertThat(fake.requests().get(1).query()).endsWith("max_results=1&page_token=p2");
    }

    @Test
    void serverWideAuditMayNarrowToAWorkspace() {
        fake.answer("GET", "/api/v1/admin/audit", 200, "{\"events\":[]}");

        assertThat(client.admin().audit().list(AuditQuery.ALL.withWorkspace("team-a"), 10)).isEmpty();
        assertThat(fake.lastRequest().query()).isEqualTo("workspace=team-a&max_results=10");
        assertThatThrownBy(() -> client.audit().list(AuditQuery.ALL.withWorkspace("team-a"), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rotateMasterKeyReturnsHowManySecretsWereReencrypted() {
        fake.answer("POST", "/api/v1/admin/rotate-master-key", 200, "{\"secrets\":7}");

        assertThat(client.admin().rotateMasterKey()).isEqualTo(7);
    }

    @Test
    void statusesWithoutAnErrorBodyMapToTheSecurityCodes() {
        fake.answer("GET", "/api/v1/auth/me", 401, "")
                .answer("GET", "/api/v1/users", 403, "")
                .answer("POST", "/api/v1/tokens", 429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"Too many failed logins\"}");

        assertThatThrownBy(() -> client.auth().me()).isInstanceOfSatisfying(AtelierException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        assertThatThrownBy(() -> client.users().list()).isInstanceOfSatisfying(AtelierException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> client.auth().login("ada", "wrong", "cli-x")).isInstanceOfSatisfying(AtelierException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.REQUEST_LIMIT_EXCEEDED);
            assertThat(e.getMessage()).isEqualTo("Too many failed logins");
        });
    }
}
