package dev.atelier.server.auth;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atelier.server.auth.SecuredServer.basic;
import static dev.atelier.server.auth.SecuredServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Credentials: sessions and CSRF, tokens that expire or are revoked, disabled users, the password-change gate. */
class AuthenticationTest {
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
    void loginSetsAStrictHttpOnlySessionCookieAndCookieChangesNeedTheCsrfToken() throws Exception {
        server.createUser("cookie-user", "cookie-password", false);
        server.grant("default", "cookie-user", "Data Scientist");
        HttpResponse<String> login = raw("POST", "/api/v1/auth/login", Map.of("username", "cookie-user", "password",
                "cookie-password"));
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("atelier_session=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = HttpJson.parse(login.body()).get("csrf_token").asText();

        HttpJson.Response me = server.call("GET", "/api/v1/auth/me", null, null, "Cookie", cookie);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("csrf_token").asText()).isEqualTo(csrf);
        assertThat(me.json().at("/roles/default").asText()).isEqualTo("Data Scientist");

        Map<String, String> experiment = Map.of("name", "made-with-a-cookie");
        String create = "/api/2.0/mlflow/experiments/create";
        assertThat(server.call("POST", create, experiment, null, "Cookie", cookie).errorCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(server.call("POST", create, experiment, null, "Cookie", cookie, "X-CSRF-Token", "wrong").status())
                .isEqualTo(403);
        assertThat(server.call("POST", create, experiment, null, "Cookie", cookie, "X-CSRF-Token", csrf).status())
                .isEqualTo(200);

        assertThat(server.call("POST", "/api/v1/auth/logout", Map.of(), null, "Cookie", cookie, "X-CSRF-Token", csrf).status())
                .isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/auth/me", null, null, "Cookie", cookie).status()).isEqualTo(401);
    }

    @Test
    void theSessionCookieIsSecureBehindAnHttpsProxy() throws Exception {
        server.createUser("proxied-user", "proxied-password", false);
        HttpResponse<String> login = raw("POST", "/api/v1/auth/login", Map.of("username", "proxied-user", "password",
                "proxied-password"), "X-Forwarded-Proto", "https");
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameAnswer() {
        // Failed password checks count against the client address; a server of its own keeps other tests clear.
        try (SecuredServer own = SecuredServer.start()) {
            own.createUser("known-user", "known-password", false);
            HttpJson.Response unknown = own.call("GET", "/api/v1/auth/me", null, basic("nobody-here", "some-password"));
            HttpJson.Response wrong = own.call("GET", "/api/v1/auth/me", null, basic("known-user", "wrong-password"));
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.text()).isEqualTo(wrong.text());
            HttpJson.Response loginUnknown = own.call("POST", "/api/v1/auth/login", Map.of("username", "nobody-here",
                    "password", "some-password"), null);
            HttpJson.Response loginWrong = own.call("POST", "/api/v1/auth/login", Map.of("username", "known-user",
                    "password", "wrong-password"), null);
            assertThat(loginUnknown.status()).isEqualTo(401);
            assertThat(loginUnknown.text()).isEqualTo(loginWrong.text());
        }
    }

    @Test
    void unauthenticatedAnswersAskForBasicCredentials() throws Exception {
        HttpResponse<String> response = raw("GET", "/api/2.0/mlflow/experiments/search?max_results=1", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"atelier\"");
        assertThat(HttpJson.parse(response.body()).get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void revokedAndExpiredTokensAreRefused() {
        server.createUser("token-user", "token-password", false);
        String token = server.createToken(basic("token-user", "token-password"), Map.of("name", "soon-revoked"));
        assertThat(server.call("GET", "/api/v1/auth/me", null, bearer(token)).status()).isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/auth/me", null, basic("token-user", token)).status()).isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/auth/me", null, basic("someone-else", token)).status()).isEqualTo(401);
        String id = server.call("GET", "/api/v1/tokens", null, bearer(token)).json().at("/tokens/0/id").asText();
        assertThat(server.call("GET", "/api/v1/tokens", null, bearer(token)).text()).doesNotContain(token);
        assertThat(server.call("DELETE", "/api/v1/tokens/" + id, null, bearer(token)).status()).isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/auth/me", null, bearer(token)).errorCode()).isEqualTo("UNAUTHENTICATED");

        String expiring = server.createToken(basic("token-user", "token-password"), Map.of("name", "expiring",
                "expires_in_days", 1));
        assertThat(server.call("GET", "/api/v1/auth/me", null, bearer(expiring)).status()).isEqualTo(200);
        server.server().server().database().writeVoid(handle -> handle.createUpdate(
                "UPDATE api_tokens SET expiration_time = 1 WHERE name = 'expiring'").execute());
        HttpJson.Response expired = server.call("GET", "/api/v1/auth/me", null, bearer(expiring));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("message").asText()).contains("expired");
    }

    @Test
    void disabledUsersAreRefusedWhateverTheirCredentials() {
        server.createUser("leaving-user", "leaving-password", false);
        String token = server.createToken(basic("leaving-user", "leaving-password"), Map.of("name", "t"));
        assertThat(server.call("GET", "/api/v1/auth/me", null, basic("leaving-user", "leaving-password")).status()).isEqualTo(200);
        assertThat(server.call("PATCH", "/api/v1/users/leaving-user", Map.of("disabled", true), server.admin()).status())
                .isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/auth/me", null, basic("leaving-user", "leaving-password")).status()).isEqualTo(401);
        assertThat(server.call("GET", "/api/v1/auth/me", null, bearer(token)).status()).isEqualTo(401);
        assertThat(server.call("POST", "/api/v1/auth/login", Map.of("username", "leaving-user", "password",
                "leaving-password"), null).status()).isEqualTo(401);
    }

    @Test
    void aResetPasswordMustBeChangedBeforeAnythingElse() {
        // Failed password checks count against the client address; a server of its own keeps other tests clear.
        try (SecuredServer own = SecuredServer.start()) {
            own.createUser("reset-user", "reset-password", false);
            own.grant("default", "reset-user", "Reader");
            HttpJson.Response reset = own.call("POST", "/api/v1/users/reset-user/reset-password", Map.of(), own.admin());
            String generated = reset.json().get("password").asText();
            assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
            String credentials = basic("reset-user", generated);
            assertThat(own.call("GET", "/api/v1/auth/me", null, basic("reset-user", "reset-password")).status()).isEqualTo(401);

            HttpJson.Response gated = own.call("GET", "/api/2.0/mlflow/experiments/search?max_results=1", null, credentials);
            assertThat(gated.status()).isEqualTo(403);
            assertThat(gated.json().get("message").asText()).contains("password", "must be changed");
            assertThat(own.call("GET", "/api/v1/auth/me", null, credentials).json().get("must_change_password").asBoolean()).isTrue();

            assertThat(own.call("POST", "/api/v1/auth/password", Map.of("current_password", "not-it", "new_password",
                    "brand-new-password"), credentials).status()).isEqualTo(403);
            assertThat(own.call("POST", "/api/v1/auth/password", Map.of("current_password", generated, "new_password",
                    "brand-new-password"), credentials).status()).isEqualTo(200);
            String changed = basic("reset-user", "brand-new-password");
            assertThat(own.call("GET", "/api/2.0/mlflow/experiments/search?max_results=1", null, changed).status()).isEqualTo(200);
            assertThat(own.call("GET", "/api/v1/auth/me", null, credentials).status()).isEqualTo(401);
        }
    }

    @Test
    void theFirstAdminsGeneratedPasswordIsPrintedOnceAndMustBeChanged() throws Exception {
        Path dataDir = Files.createTempDirectory("atelier-first-admin");
        ServerConfig config = ServerConfig.forTests(dataDir).withSecurity(new SecurityConfig(true, Optional.empty(), Optional.empty()));
        String firstOutput = captureStandardOutput(() -> TestServer.start(config).close());
        Matcher printed = Pattern.compile("\\n {4}(\\S{20,})\\n").matcher(firstOutput);
        assertThat(printed.find()).as(firstOutput).isTrue();
        String password = printed.group(1);
        String secondOutput;
        TestServer[] restarted = new TestServer[1];
        secondOutput = captureStandardOutput(() -> restarted[0] = TestServer.start(config));
        try (TestServer fresh = restarted[0]) {
            assertThat(secondOutput).doesNotContain(password);
            String initial = basic("admin", password);
            HttpJson http = fresh.http();
            assertThat(http.send(SecuredServer.request(fresh.url(), "GET", "/api/v1/users", null, initial)).status()).isEqualTo(403);
            assertThat(http.send(SecuredServer.request(fresh.url(), "GET", "/api/v1/auth/me", null, initial)).json()
                    .get("must_change_password").asBoolean()).isTrue();
        }
    }

    private static String captureStandardOutput(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void workspacesAreListedOnlyToThoseWithARoleInThem() {
        server.createWorkspace("listed-team");
        server.createWorkspace("hidden-team");
        String token = server.userWithRole("listed-member", "listed-team", "Reader");
        List<String> names = server.call("GET", "/api/v1/workspaces", null, bearer(token)).json().findValuesAsText("name");
        assertThat(names).containsExactly("listed-team");
        assertThat(server.call("GET", "/api/v1/workspaces/hidden-team", null, bearer(token)).status()).isEqualTo(404);
        assertThat(server.call("GET", "/api/v1/workspaces", null, server.admin()).json().findValuesAsText("name"))
                .contains("default", "listed-team", "hidden-team");
    }

    @Test
    void deletingAWorkspaceRemovesItsRoleAssignments() {
        server.createWorkspace("short-lived");
        String token = server.userWithRole("short-lived-owner", "short-lived", "Owner");
        assertThat(server.call("GET", "/w/short-lived/api/v1/access", null, bearer(token)).text()).contains("short-lived-owner");
        assertThat(server.call("DELETE", "/api/v1/workspaces/short-lived?force=true", null, server.admin()).status()).isEqualTo(200);
        server.createWorkspace("short-lived");
        assertThat(server.call("GET", "/w/short-lived/api/v1/access", null, bearer(token)).status()).isEqualTo(403);
        assertThat(server.call("GET", "/w/short-lived/api/v1/access", null, server.admin()).text())
                .doesNotContain("short-lived-owner");
    }

    @Test
    void aTokenMadeWithARestrictedTokenKeepsItsLimits() {
        server.createWorkspace("limited-team");
        String restricted = server.createToken(server.admin(), Map.of("name", "limited", "workspace", "limited-team",
                "read_only", true));
        String child = server.createToken(bearer(restricted), Map.of("name", "child"));
        HttpJson.Response listed = server.call("GET", "/api/v1/tokens", null, server.admin());
        assertThat(listed.json().findParents("name").stream().filter(token -> token.get("name").asText().equals("child")))
                .singleElement()
                .satisfies(token -> {
                    assertThat(token.get("workspace").asText()).isEqualTo("limited-team");
                    assertThat(token.get("read_only").asBoolean()).isTrue();
                });
        assertThat(server.call("POST", "/api/v1/workspaces", Map.of("name", "not-allowed"), bearer(child)).status()).isEqualTo(403);
    }

    private static HttpResponse<String> raw(String method, String path, Object body, String... headers)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(SecuredServer.request(server.url(), method, path, body, null, headers),
                HttpResponse.BodyHandlers.ofString());
    }
}
