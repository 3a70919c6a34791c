package dev.atelier.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.audit.AuditEvent;
import dev.atelier.server.audit.AuditOutcome;
import dev.atelier.server.audit.JdbcAuditStore;
import dev.atelier.server.http.TrustedProxies;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.atelier.server.auth.SecuredServer.basic;
import static dev.atelier.server.auth.SecuredServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** docs/security.md, "Abuse limits": login limits, lock-outs, uniform denials, /metrics and audit noise. */
class AbuseLimitsTest {
    private static SecuredServer server;

    @BeforeAll
    static void start() {
        server = SecuredServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void loginBodiesOver16KibAreRefusedWith413BeforeParsing() {
        String big = "{\"username\": \"admin\", \"password\": \"" + "x".repeat(20_000) + "\"}";
        HttpJson.Response declared = server.call("POST", "/api/v1/auth/login", big, null);
        assertThat(declared.status()).as(declared.text()).isEqualTo(413);
        assertThat(declared.json().path("message").asText()).contains("16384");

        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpJson.Response streamed = server.server().http().send(chunked);
        assertThat(streamed.status()).as(streamed.text()).isEqualTo(413);
    }

    @Test
    void userNamesOver256CharactersAreA400NamingTheField() {
        HttpJson.Response longName = server.call("POST", "/api/v1/auth/login",
                Map.of("username", "u".repeat(257), "password", "whatever-password"), null);
        assertThat(longName.status()).as(longName.text()).isEqualTo(400);
        assertThat(longName.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(longName.json().path("message").asText()).contains("username", "256");
        assertThat(server.call("POST", "/api/v1/auth/login", Map.of("username", "u".repeat(256),
                "password", "whatever-password"), null).status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordsFromOneAddressDoNotLockTheUserForAnother() {
        server.createUser("shared-user", "shared-password", false);
        String wrong = HttpJson.toJson(Map.of("username", "shared-user", "password", "wrong-password"));
        String right = HttpJson.toJson(Map.of("username", "shared-user", "password", "shared-password"));
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(LoopbackClient.status(server.url(), "127.0.0.2", "POST", "/api/v1/auth/login", wrong, null))
                    .as("attempt %d", attempt).isEqualTo(401);
        }
        assertThat(LoopbackClient.status(server.url(), "127.0.0.2", "POST", "/api/v1/auth/login", right, null))
                .as("the guessing address is throttled").isEqualTo(429);
        assertThat(LoopbackClient.status(server.url(), "127.0.0.3", "POST", "/api/v1/auth/login", right, null))
                .as("another address is not").isEqualTo(200);
        assertThat(LoopbackClient.status(server.url(), "127.0.0.3", "GET", "/api/v1/auth/me", null,
                basic("shared-user", "shared-password"))).as("nor HTTP Basic from another address").isEqualTo(200);
    }

    @Test
    void aDisabledUsersRightPasswordGetsTheAnswerOfAWrongOne() {
        server.createUser("disabled-user", "disabled-password", false);
        assertThat(server.call("PATCH", "/api/v1/users/disabled-user", Map.of("disabled", true), server.admin()).status())
                .isEqualTo(200);
        HttpJson.Response right = server.call("POST", "/api/v1/auth/login",
                Map.of("username", "disabled-user", "password", "disabled-password"), null);
        HttpJson.Response wrong = server.call("POST", "/api/v1/auth/login",
                Map.of("username", "disabled-user", "password", "not-the-password"), null);
        assertThat(right.status()).isEqualTo(wrong.status()).isEqualTo(401);
        assertThat(right.text()).isEqualTo(wrong.text());
        HttpJson.Response basicRight = server.call("GET", "/api/v1/auth/me", null, basic("disabled-user", "disabled-password"));
        HttpJson.Response basicWrong = server.call("GET", "/api/v1/auth/me", null, basic("disabled-user", "not-the-password"));
        assertThat(basicRight.status()).isEqualTo(basicWrong.status()).isEqualTo(401);
        assertThat(basicRight.text()).isEqualTo(basicWrong.text());
    }

    @Test
    void aPasswordChangeEndsTheOtherSessionsAndAResetEndsThemAll() {
        server.createUser("session-user", "session-password", false);
        Session first = login("session-user", "session-password");
        Session second = login("session-user", "session-password");
        HttpJson.Response changed = server.call("POST", "/api/v1/auth/password", Map.of("current_password", "session-password",
                "new_password", "session-password-2"), null, "Cookie", first.cookie(), "X-CSRF-Token", first.csrf());
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(me(first).status()).as("the session that changed the password").isEqualTo(200);
        assertThat(me(second).status()).as("another session").isEqualTo(401);

        Session third = login("session-user", "session-password-2");
        assertThat(server.call("POST", "/api/v1/users/session-user/reset-password", Map.of("new_password", "reset-password-3"),
                server.admin()).status()).isEqualTo(200);
        assertThat(me(first).status()).isEqualTo(401);
        assertThat(me(third).status()).isEqualTo(401);
    }

    @Test
    void aResetWithRevokeTokensAlsoRevokesTheUsersApiTokens() {
        String kept = server.userWithRole("token-keeper", "default", "Reader");
        String revoked = server.userWithRole("token-loser", "default", "Reader");
        assertThat(server.call("POST", "/api/v1/users/token-keeper/reset-password", Map.of(), server.admin()).status()).isEqualTo(200);
        HttpJson.Response reset = server.call("POST", "/api/v1/users/token-loser/reset-password", Map.of("revoke_tokens", true),
                server.admin());
        assertThat(reset.status()).as(reset.text()).isEqualTo(200);
        assertThat(reset.json().path("revoked_tokens").asInt()).isEqualTo(1);
        assertThat(server.call("GET", "/api/v1/auth/me", null, bearer(kept)).status()).as("a reset alone keeps tokens").isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/auth/me", null, bearer(revoked)).status()).isEqualTo(401);
    }

    @Test
    void unauthenticatedCallersGetTheSame401ForExistingAndUnknownWorkspaces() {
        server.createWorkspace("existing-ws");
        for (String path : List.of("/api/2.0/mlflow/experiments/search?max_results=1", "/api/v1/jobs")) {
            HttpJson.Response existing = server.call("GET", "/w/existing-ws" + path, null, null);
            HttpJson.Response unknown = server.call("GET", "/w/nope" + path, null, null);
            assertThat(existing.status()).isEqualTo(401);
            assertThat(unknown.status()).as(path).isEqualTo(401);
            assertThat(unknown.text()).isEqualTo(existing.text());
        }
        HttpJson.Response existing = server.call("POST", "/w/existing-ws/endpoints/some-endpoint/score", Map.of(), null);
        HttpJson.Response unknown = server.call("POST", "/w/nope/endpoints/some-endpoint/score", Map.of(), null);
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(existing.status()).isEqualTo(401);
        assertThat(sameButRequestId(unknown.text())).isEqualTo(sameButRequestId(existing.text()));
        HttpJson.Response existingProbe = server.call("GET", "/w/existing-ws/endpoints/some-endpoint/ping", null, null);
        HttpJson.Response unknownProbe = server.call("GET", "/w/nope/endpoints/some-endpoint/ping", null, null);
        assertThat(unknownProbe.status()).isEqualTo(existingProbe.status());
    }

    @Test
    void unauthenticatedCallersGetTheSame401ForKnownAndUnknownEndpoints() {
        HttpJson admin = server.server().http().withHeader("Authorization", server.admin());
        HttpJson.Response created = admin.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/endpoints"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString("name: known-ep\nauth_mode: key\n")).build());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        for (String authorization : new String[] {null, "Bearer wrong-key"}) {
            HttpJson.Response known = server.call("POST", "/endpoints/known-ep/score", Map.of(), authorization);
            HttpJson.Response unknown = server.call("POST", "/endpoints/unknown-ep/score", Map.of(), authorization);
            assertThat(known.status()).isEqualTo(401);
            assertThat(unknown.status()).as(unknown.text()).isEqualTo(401);
            assertThat(sameButRequestId(unknown.text().replace("unknown-ep", "known-ep"))).isEqualTo(sameButRequestId(known.text()));
        }
    }

    @Test
    void withoutAuthenticationTooAnUnknownEndpointAnswersAsAKnownOneWithoutItsKey() {
        try (TestServer open = TestServer.start()) {
            HttpJson.Response created = open.http().send(HttpRequest.newBuilder(URI.create(open.url() + "/api/v1/endpoints"))
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString("name: known-ep\nauth_mode: key\n")).build());
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            HttpJson.Response known = open.http().post("/endpoints/known-ep/invocations", Map.of());
            HttpJson.Response unknown = open.http().post("/endpoints/unknown-ep/invocations", Map.of());
            assertThat(known.status()).isEqualTo(401);
            assertThat(unknown.status()).as(unknown.text()).isEqualTo(401);
            assertThat(sameButRequestId(unknown.text().replace("unknown-ep", "known-ep"))).isEqualTo(sameButRequestId(known.text()));
            assertThat(open.http().get("/metrics").status()).as("without --auth /metrics stays open on loopback").isEqualTo(200);
        }
    }

    @Test
    void metricsRefuseAnonymousCallersAndUsersWhoAreNotServerAdmins() {
        HttpJson.Response anonymous = server.call("GET", "/metrics", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        String reader = bearer(server.userWithRole("metrics-reader", "default", "Reader"));
        assertThat(server.call("GET", "/metrics", null, reader).status()).isEqualTo(403);
        HttpJson.Response admin = server.call("GET", "/metrics", null, server.admin());
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(admin.text()).contains("# TYPE atelier_http_requests");
        assertThat(server.call("GET", "/health", null, null).status()).isEqualTo(200);
        assertThat(server.call("GET", "/version", null, null).status()).isEqualTo(200);
    }

    @Test
    void anonymousDenialsStayOutOfTheWorkspaceAuditLog() {
        server.createWorkspace("prod");
        for (int i = 0; i < 100; i++) {
            server.call("POST", "/w/prod/api/2.0/mlflow/experiments/create", Map.of("name", "noise-" + i), null);
        }
        String stranger = bearer(server.userWithRole("stranger", "default", "Reader"));
        assertThat(server.call("POST", "/w/prod/api/2.0/mlflow/experiments/create", Map.of("name", "by-stranger"), stranger)
                .status()).isEqualTo(403);
        JsonNode events = server.call("GET", "/w/prod/api/v1/audit?max_results=1000", null, server.admin()).json().path("events");
        assertThat(events.toString()).doesNotContain("\"anonymous\"");
        assertThat(events.findValuesAsText("principal")).contains("stranger");
        JsonNode serverWide = server.call("GET", "/api/v1/admin/audit?principal=anonymous&max_results=1000", null, server.admin())
                .json().path("events");
        assertThat(serverWide.findValuesAsText("target").stream().filter(target -> target.startsWith("/w/prod/")).count())
                .as("at most 10 per client address and minute").isLessThanOrEqualTo(10);
        assertThat(server.call("GET", "/metrics", null, server.admin()).text())
                .containsPattern("atelier_audit_anonymous_denials_dropped_total [1-9]");
    }

    @Test
    void gcDeletesAuditEventsOlderThanTheRetention() {
        JdbcAuditStore store = new JdbcAuditStore(server.server().server().database());
        long old = System.currentTimeMillis() - Duration.ofDays(400).toMillis();
        String oldId = UUID.randomUUID().toString();
        String recentId = UUID.randomUUID().toString();
        store.insertEvents(List.of(
                new AuditEvent(oldId, old, "someone", "default", "POST /api/v1/old", "/api/v1/old", AuditOutcome.ALLOWED, 200, "10.0.0.1"),
                new AuditEvent(recentId, System.currentTimeMillis() - Duration.ofDays(30).toMillis(), "someone", "default",
                        "POST /api/v1/recent", "/api/v1/recent", AuditOutcome.ALLOWED, 200, "10.0.0.1")));
        HttpJson.Response gc = server.call("POST", "/api/v1/gc", Map.of(), server.admin());
        assertThat(gc.status()).as(gc.text()).isEqualTo(200);
        assertThat(gc.json().path("audit_events").asLong()).isGreaterThanOrEqualTo(1);
        String log = server.call("GET", "/api/v1/admin/audit?max_results=1000", null, server.admin()).text();
        assertThat(log).doesNotContain(oldId).contains(recentId);
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedForwardedAddressIsTheClient() {
        try (SecuredServer proxied = SecuredServer.start(config -> config.withSecurity(config.security().withAbuse(
                config.security().abuse().withTrustedProxies(TrustedProxies.parse("127.0.0.1/32")))))) {
            proxied.createUser("proxied-user", "proxied-password", false);
            Map<String, String> wrong = Map.of("username", "proxied-user", "password", "wrong-password");
            Map<String, String> right = Map.of("username", "proxied-user", "password", "proxied-password");
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThat(proxied.call("POST", "/api/v1/auth/login", wrong, null, "X-Forwarded-For", "10.9.9.9, 10.0.0.1").status())
                        .isEqualTo(401);
            }
            assertThat(proxied.call("POST", "/api/v1/auth/login", right, null, "X-Forwarded-For", "10.0.0.1").status())
                    .as("the guessing client").isEqualTo(429);
            assertThat(proxied.call("POST", "/api/v1/auth/login", right, null, "X-Forwarded-For", "10.0.0.1, 10.0.0.2").status())
                    .as("another client behind the proxy").isEqualTo(200);
            assertThat(proxied.call("POST", "/api/v1/auth/login", right, null, "X-Forwarded-For", "10.0.0.1, 127.0.0.1").status())
                    .as("a trusted hop is skipped").isEqualTo(429);
        }
    }

    @Test
    void withoutTrustedProxiesXForwardedForIsIgnored() {
        server.createUser("forwarded-user", "forwarded-password", false);
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(server.call("POST", "/api/v1/auth/login", Map.of("username", "forwarded-user", "password", "wrong-password"),
                    null, "X-Forwarded-For", "10.0.0." + attempt).status()).isEqualTo(401);
        }
        assertThat(server.call("POST", "/api/v1/auth/login", Map.of("username", "forwarded-user", "password", "forwarded-password"),
                null, "X-Forwarded-For", "10.0.0.99").status()).isEqualTo(429);
    }

    @Test
    void theMetricsTokenReadsMetricsAndTheMetricsPortServesThemOnLoopback() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String token = "metrics-token-0123456789";
        try (SecuredServer scraped = SecuredServer.start(config -> config.withSecurity(config.security().withAbuse(
                config.security().abuse().withMetricsToken(token).withMetricsPort(port))))) {
            HttpJson.Response withToken = scraped.call("GET", "/metrics", null, bearer(token));
            assertThat(withToken.status()).as(withToken.text()).isEqualTo(200);
            assertThat(withToken.text()).contains("# TYPE");
            assertThat(scraped.call("GET", "/metrics", null, bearer(token + "x")).status()).isEqualTo(401);
            assertThat(scraped.call("GET", "/api/v1/auth/me", null, bearer(token)).status()).as("the token reads metrics only")
                    .isEqualTo(401);
            HttpJson loopback = new HttpJson("http://127.0.0.1:" + port);
            HttpJson.Response scrape = loopback.get("/metrics");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
            assertThat(scrape.text()).contains("atelier_audit_anonymous_denials_dropped_total");
            assertThat(loopback.get("/api/v1/auth/me").status()).isEqualTo(404);
        }
    }

    private record Session(String cookie, String csrf) {
    }

    private static Session login(String username, String password) {
        HttpRequest request = SecuredServer.request(server.url(), "POST", "/api/v1/auth/login",
                Map.of("username", username, "password", password), null);
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String cookie = response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            return new Session(cookie, HttpJson.parse(response.body()).path("csrf_token").asText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpJson.Response me(Session session) {
        return server.call("GET", "/api/v1/auth/me", null, null, "Cookie", session.cookie());
    }

    /** A scoring error's body without its request id, which every answer has its own of (the server's span id). */
    private static String sameButRequestId(String body) {
        return body.replaceFirst(",\"request_id\":\"[0-9a-f]{16}\"", "");
    }
}
