package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atelier.server.web.PortalSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Settings pages with authentication on, for a user of every role signed in with a session:
 * what each page offers, and that every action a role may not take is refused by its route (403)
 * even when posted by hand.
 */
class SettingsPagesAuthTest {
    private static final String PASSWORD = "admin-pass-123";
    private static final String ADMIN_PASSWORD = "admin-pass-456";
    private static final Map<String, String> ROLES = new LinkedHashMap<>();
    private static TestServer server;
    private static String adminBasic;
    private static final Map<String, PortalSession> sessions = new LinkedHashMap<>();

    static {
        ROLES.put("olga", "Owner");
        ROLES.put("carl", "Contributor");
        ROLES.put("dana", "Data Scientist");
        ROLES.put("cory", "Compute Operator");
        ROLES.put("rita", "Reader");
    }

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-settings-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())));
        assertThat(call("POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", ADMIN_PASSWORD),
                basic("admin", PASSWORD)).status()).isEqualTo(200);
        adminBasic = basic("admin", ADMIN_PASSWORD);
        for (String user : List.of("olga", "carl", "dana", "cory", "rita", "newbie", "nadia")) {
            HttpJson.Response created = call("POST", "/api/v1/users", Map.of("username", user, "password", user + "-password-1"), adminBasic);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
        }
        ROLES.forEach((user, role) -> {
            assertThat(call("POST", "/api/v1/access", Map.of("username", user, "role", role), adminBasic).status()).isEqualTo(200);
            sessions.put(role, PortalSession.login(server.url(), user, user + "-password-1"));
        });
        sessions.put("admin", PortalSession.login(server.url(), "admin", ADMIN_PASSWORD));
        HttpJson.Response secret = call("POST", "/api/v1/secrets", Map.of("name", "db-password", "value", "s3cr3t-<b>value</b>",
                "description", "the warehouse"), adminBasic);
        assertThat(secret.status()).as(secret.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyRoleSeesThePagesWithOnlyTheActionsItMayTake() {
        for (String role : ROLES.values()) {
            PortalSession session = sessions.get(role);
            for (String path : List.of("/settings", "/settings/members", "/settings/tokens", "/settings/secrets", "/settings/workspace")) {
                HttpResponse<String> page = session.page(path);
                assertThat(page.statusCode()).as(role + " " + path).isEqualTo(200);
                assertThat(page.body()).as(role + " " + path).contains("class=\"active\" data-area=\"settings\"")
                        .doesNotContain("s3cr3t");
            }
            boolean owner = role.equals("Owner");
            boolean managesSecrets = owner || role.equals("Contributor");
            boolean readsValues = managesSecrets || role.equals("Data Scientist");
            String members = session.page("/settings/members").body();
            assertThat(members).as(role).contains("data-member=\"rita\"", "Reader");
            assertThat(members.contains("id=\"grant-form\"")).as(role).isEqualTo(owner);
            assertThat(members.contains("revoke-role")).as(role).isEqualTo(owner);
            String secrets = session.page("/settings/secrets").body();
            assertThat(secrets).as(role).contains("data-secret=\"db-password\"", "the warehouse");
            assertThat(secrets.contains("id=\"create-secret\"")).as(role).isEqualTo(managesSecrets);
            assertThat(secrets.contains("delete-secret")).as(role).isEqualTo(managesSecrets);
            assertThat(secrets.contains("reveal-secret")).as(role).isEqualTo(readsValues);
            assertThat(session.page("/settings").body().contains("data-tab=\"audit\"")).as(role).isEqualTo(owner);
            assertThat(session.page("/settings/audit").statusCode()).as(role).isEqualTo(owner ? 200 : 403);
            String workspace = session.page("/settings/workspace").body();
            assertThat(workspace).as(role).contains("id=\"workspace-name\">default<").doesNotContain("id=\"workspace-edit\"");
        }
        assertThat(sessions.get("admin").page("/settings/workspace").body()).contains("id=\"workspace-edit\"");
    }

    @Test
    void aReaderCannotSeeAValueNorTheCreateFormAndIsRefusedEveryChange() {
        PortalSession reader = sessions.get("Reader");
        String page = reader.page("/settings/secrets").body();
        assertThat(page).contains("db-password").doesNotContain("s3cr3t", "reveal-secret", "id=\"create-secret\"", "New version");
        assertThat(reader.action("/settings/secrets/db-password/value", "").statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/secrets", form("name", "mine", "value", "v")).statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/secrets/db-password/versions", form("value", "v2")).statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/secrets/db-password/delete", "").statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/members", form("username", "rita", "role", "Owner")).statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/members/revoke", form("username", "olga")).statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/workspace", form("description", "mine now")).statusCode()).isEqualTo(403);
        assertThat(reader.action("/settings/workspace/delete", form("confirm", "default")).statusCode()).isEqualTo(403);
        HttpResponse<String> refused = reader.browserPost("/settings/secrets/db-password/value", "");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Not allowed", "READ_SECRET_VALUE").doesNotContain("s3cr3t");
        HttpResponse<String> flash = reader.action("/settings/members", form("username", "rita", "role", "Owner"));
        assertThat(flash.headers().firstValue("HX-Retarget")).hasValue("#flash");
        assertThat(flash.body()).contains("MANAGE_ACCESS");
        assertThat(call("GET", "/api/v1/access", null, adminBasic).json().toString()).contains("\"username\":\"rita\",\"role\":\"Reader\"");
        assertThat(call("GET", "/api/v1/secrets/db-password", null, adminBasic).json().path("version").asInt()).isEqualTo(1);
        // A Compute Operator reads names too, but no value and no change either.
        PortalSession operator = sessions.get("Compute Operator");
        assertThat(operator.action("/settings/secrets/db-password/value", "").statusCode()).isEqualTo(403);
        assertThat(operator.action("/settings/secrets", form("name", "ops", "value", "v")).statusCode()).isEqualTo(403);
    }

    @Test
    void aDataScientistRevealsAValueOnceAndTheReadIsAudited() {
        PortalSession scientist = sessions.get("Data Scientist");
        assertThat(scientist.actionWithoutCsrf("/settings/secrets/db-password/value", "").statusCode()).isEqualTo(403);
        HttpResponse<String> shown = scientist.action("/settings/secrets/db-password/value", "");
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        assertThat(shown.body()).contains("s3cr3t-&lt;b&gt;value&lt;/b&gt;", "data-secret=\"db-password\"", "data-version=\"1\"")
                .doesNotContain("<b>value</b>", "<html");
        assertThat(shown.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(scientist.page("/settings/secrets").body()).doesNotContain("s3cr3t");
        // A Data Scientist may not change secrets, only read their values.
        assertThat(scientist.action("/settings/secrets", form("name", "mine", "value", "v")).statusCode()).isEqualTo(403);
        assertThat(scientist.page("/settings/secrets").body()).doesNotContain("id=\"create-secret\"");

        JsonNode events = call("GET", "/api/v1/audit?principal=dana", null, adminBasic).json().path("events");
        List<String> reads = new ArrayList<>();
        events.forEach(event -> {
            if (event.path("action").asText().equals("POST /settings/secrets/{name}/value")) {
                reads.add(event.path("outcome").asText() + " " + event.path("status").asInt() + " " + event.path("target").asText());
            }
        });
        assertThat(reads).contains("allowed 200 /settings/secrets/db-password/value", "denied 403 /settings/secrets/db-password/value");
        // Server admins see the values as well; an unknown secret is a 404 message, not a page.
        HttpResponse<String> missing = sessions.get("Owner").action("/settings/secrets/nope/value", "");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Secret 'nope' does not exist");
    }

    @Test
    void anOwnerGrantsChangesAndRevokesRolesAndBadInputIsExplained() {
        PortalSession owner = sessions.get("Owner");
        HttpResponse<String> granted = owner.action("/settings/members", form("username", "newbie", "role", "Reader"));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(204);
        assertThat(granted.headers().firstValue("HX-Redirect")).hasValue("/settings/members");
        assertThat(owner.page("/settings/members").body()).contains("data-member=\"newbie\"");
        assertThat(role("newbie")).isEqualTo("Reader");
        assertThat(owner.action("/settings/members", form("username", "newbie", "role", "Data Scientist")).statusCode()).isEqualTo(204);
        assertThat(role("newbie")).isEqualTo("Data Scientist");

        HttpResponse<String> unknownUser = owner.action("/settings/members", form("username", "ghost", "role", "Reader"));
        assertThat(unknownUser.statusCode()).isEqualTo(404);
        assertThat(unknownUser.body()).contains("User 'ghost' does not exist").doesNotContain("Exception", "at dev.");
        HttpResponse<String> unknownRole = owner.action("/settings/members", form("username", "newbie", "role", "Emperor"));
        assertThat(unknownRole.statusCode()).isEqualTo(400);
        assertThat(unknownRole.body()).contains("Invalid value 'Emperor' for parameter 'role'", "Compute Operator");
        HttpResponse<String> emptyName = owner.action("/settings/members", form("username", " ", "role", "Reader"));
        assertThat(emptyName.statusCode()).isEqualTo(400);
        assertThat(emptyName.body()).contains("Missing value for required parameter 'username'");
        assertThat(owner.actionWithoutCsrf("/settings/members", form("username", "newbie", "role", "Owner")).statusCode()).isEqualTo(403);
        assertThat(role("newbie")).isEqualTo("Data Scientist");

        assertThat(sessions.get("Contributor").action("/settings/members", form("username", "newbie", "role", "Owner")).statusCode())
                .isEqualTo(403);
        assertThat(owner.action("/settings/members/revoke", form("username", "newbie")).statusCode()).isEqualTo(204);
        assertThat(role("newbie")).isEmpty();
        HttpResponse<String> again = owner.action("/settings/members/revoke", form("username", "newbie"));
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("User 'newbie' has no role in workspace 'default'");
    }

    @Test
    void aTokenCreatedInThePageIsShownOnceAndWorksAgainstTheApi() {
        PortalSession reader = sessions.get("Reader");
        HttpResponse<String> created = reader.action("/settings/tokens", form("name", "laptop", "expires_in_days", "30",
                "restrict", "true"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        Matcher matcher = Pattern.compile("id=\"new-token\">(atl_[A-Za-z0-9_-]+)<").matcher(created.body());
        assertThat(matcher.find()).as(created.body()).isTrue();
        String token = matcher.group(1);
        assertThat(created.body()).contains("id=\"token-area\"").doesNotContain("<html");

        HttpJson.Response secrets = call("GET", "/api/v1/secrets", null, "Bearer " + token);
        assertThat(secrets.status()).as(secrets.text()).isEqualTo(200);
        assertThat(secrets.text()).contains("db-password");
        JsonNode listed = call("GET", "/api/v1/tokens", null, "Bearer " + token).json().path("tokens");
        JsonNode laptop = null;
        for (JsonNode candidate : listed) {
            if (candidate.path("name").asText().equals("laptop")) {
                laptop = candidate;
            }
        }
        assertThat(laptop).isNotNull();
        assertThat(laptop.path("workspace").asText()).isEqualTo("default");
        assertThat(laptop.path("expires_at").asLong() - laptop.path("created_at").asLong()).isEqualTo(30L * 24 * 3600 * 1000);

        String page = reader.page("/settings/tokens").body();
        assertThat(page).contains("data-token=\"" + laptop.path("id").asText() + "\"", "laptop").doesNotContain(token);

        HttpResponse<String> badExpiry = reader.action("/settings/tokens", form("name", "x", "expires_in_days", "soon"));
        assertThat(badExpiry.statusCode()).isEqualTo(400);
        assertThat(badExpiry.body()).contains("Invalid value 'soon' for 'expires_in_days'");
        HttpResponse<String> zero = reader.action("/settings/tokens", form("name", "x", "expires_in_days", "0"));
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(zero.body()).contains("expires_in_days");
        HttpResponse<String> noName = reader.action("/settings/tokens", form("name", "", "expires_in_days", "3"));
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("'name'");

        HttpResponse<String> readOnly = reader.action("/settings/tokens", form("name", "ro", "read_only", "true"));
        Matcher readOnlyToken = Pattern.compile("id=\"new-token\">(atl_[A-Za-z0-9_-]+)<").matcher(readOnly.body());
        assertThat(readOnlyToken.find()).isTrue();
        assertThat(call("POST", "/api/v1/secrets", Map.of("name", "x", "value", "y"), "Bearer " + readOnlyToken.group(1)).status())
                .isEqualTo(403);

        assertThat(reader.action("/settings/tokens/revoke", form("id", laptop.path("id").asText())).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/secrets", null, "Bearer " + token).status()).isEqualTo(401);
        assertThat(reader.page("/settings/tokens").body()).doesNotContain("data-token=\"" + laptop.path("id").asText() + "\"");
        // Another user's token is not found from here.
        String adminToken = call("POST", "/api/v1/tokens", Map.of("name", "admin-own"), adminBasic).json().path("id").asText();
        assertThat(reader.action("/settings/tokens/revoke", form("id", adminToken)).statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenRestrictedToAnotherWorkspaceCannotCreateAnUnrestrictedOneThroughThePage() {
        assertThat(call("POST", "/api/v1/workspaces", Map.of("name", "tokens-elsewhere"), adminBasic).status()).isEqualTo(201);
        String restricted = call("POST", "/api/v1/tokens", Map.of("name", "narrow", "workspace", "tokens-elsewhere"), adminBasic)
                .json().path("token").asText();
        HttpResponse<String> made = send(HttpRequest.newBuilder(URI.create(server.url() + "/w/tokens-elsewhere/settings/tokens"))
                .header("Authorization", "Bearer " + restricted).header("Accept", "text/html").header("HX-Request", "true")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("name", "wider"))).build());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        Matcher matcher = Pattern.compile("id=\"new-token\">(atl_[A-Za-z0-9_-]+)<").matcher(made.body());
        assertThat(matcher.find()).isTrue();
        assertThat(call("GET", "/api/v1/secrets", null, "Bearer " + matcher.group(1)).status()).isEqualTo(403);
    }

    @Test
    void theAuditPageFiltersByPrincipalAndDateAndPages() {
        for (int i = 0; i < 60; i++) {
            assertThat(call("POST", "/api/v1/access", Map.of("username", "nadia", "role", "Reader"), adminBasic).status()).isEqualTo(200);
        }
        PortalSession owner = sessions.get("Owner");
        sessions.get("Data Scientist").action("/settings/secrets/db-password/value", "");
        String first = owner.page("/settings/audit").body();
        assertThat(rows(first)).isEqualTo(50);
        Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String second = owner.page(next.group(1).replace("&amp;", "&")).body();
        assertThat(rows(second)).isGreaterThan(0);
        assertThat(second).contains("id=\"first-page\"");
        List<String> firstIds = ids(first);
        assertThat(ids(second)).doesNotContainAnyElementsOf(firstIds);

        String byDana = owner.page("/settings/audit?principal=dana").body();
        assertThat(rows(byDana)).isGreaterThan(0);
        assertThat(byDana).contains("POST /settings/secrets/{name}/value").doesNotContain("<td class=\"principal\">admin<");
        assertThat(byDana).contains("name=\"principal\" value=\"dana\"");

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(rows(owner.page("/settings/audit?principal=dana&since=" + today + "&until=" + today).body())).isGreaterThan(0);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        String none = owner.page("/settings/audit?since=" + tomorrow).body();
        assertThat(rows(none)).isZero();
        assertThat(none).contains("id=\"no-events\"");
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        assertThat(rows(owner.page("/settings/audit?until=" + yesterday).body())).isZero();

        HttpResponse<String> badDate = owner.page("/settings/audit?since=last-week");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("id=\"audit-error\"", "Invalid value 'last-week' for 'since'", "id=\"audit-filter\"");
        HttpResponse<String> badToken = owner.page("/settings/audit?page_token=garbage");
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(badToken.body()).contains("page_token");
        assertThat(sessions.get("Contributor").page("/settings/audit").statusCode()).isEqualTo(403);
    }

    @Test
    void onlyAServerAdminEditsOrDeletesAWorkspaceAfterTypingItsName() {
        assertThat(call("POST", "/api/v1/workspaces", Map.of("name", "doomed", "description", "old words"), adminBasic).status())
                .isEqualTo(201);
        assertThat(call("POST", "/w/doomed/api/v1/access", Map.of("username", "olga", "role", "Owner"), adminBasic).status())
                .isEqualTo(200);
        assertThat(call("POST", "/w/doomed/api/v1/secrets", Map.of("name", "key", "value", "v"), adminBasic).status()).isEqualTo(201);
        PortalSession owner = sessions.get("Owner");
        String seen = owner.page("/w/doomed/settings/workspace").body();
        assertThat(seen).contains("old words").doesNotContain("id=\"workspace-edit\"", "id=\"workspace-delete\"");
        assertThat(owner.action("/w/doomed/settings/workspace", form("description", "mine", "tags", "")).statusCode()).isEqualTo(403);
        assertThat(owner.action("/w/doomed/settings/workspace/delete", form("confirm", "doomed", "force", "true")).statusCode())
                .isEqualTo(403);

        PortalSession admin = sessions.get("admin");
        String page = admin.page("/w/doomed/settings/workspace").body();
        assertThat(page).contains("id=\"workspace-edit\"", "id=\"workspace-delete\"", "data-confirm-name=\"doomed\"");
        assertThat(admin.action("/w/doomed/settings/workspace", form("description", "new words", "tags", "team=vision\ntier = gold"))
                .statusCode()).isEqualTo(204);
        JsonNode workspace = call("GET", "/api/v1/workspaces/doomed", null, adminBasic).json();
        assertThat(workspace.path("description").asText()).isEqualTo("new words");
        assertThat(workspace.path("tags").path("team").asText()).isEqualTo("vision");
        assertThat(workspace.path("tags").path("tier").asText()).isEqualTo("gold");
        assertThat(admin.action("/w/doomed/settings/workspace", form("description", "new words", "tags", "tier=gold")).statusCode())
                .isEqualTo(204);
        assertThat(call("GET", "/api/v1/workspaces/doomed", null, adminBasic).json().path("tags").has("team")).isFalse();
        assertThat(admin.action("/w/doomed/settings/workspace", form("description", "only words")).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/workspaces/doomed", null, adminBasic).json().path("tags").path("tier").asText()).isEqualTo("gold");
        HttpResponse<String> noDescription = admin.action("/w/doomed/settings/workspace", form("tags", "a=b"));
        assertThat(noDescription.statusCode()).isEqualTo(400);
        assertThat(noDescription.body()).contains("'description'");
        HttpResponse<String> badTags = admin.action("/w/doomed/settings/workspace", form("description", "x", "tags", "no equals sign"));
        assertThat(badTags.statusCode()).isEqualTo(400);
        assertThat(badTags.body()).contains("Invalid tag line 'no equals sign'");

        HttpResponse<String> wrongName = admin.action("/w/doomed/settings/workspace/delete", form("confirm", "doome", "force", "true"));
        assertThat(wrongName.statusCode()).isEqualTo(400);
        assertThat(wrongName.body()).contains("Type the workspace's name 'doomed'");
        HttpResponse<String> notForced = admin.action("/w/doomed/settings/workspace/delete", form("confirm", "doomed"));
        assertThat(notForced.statusCode()).isEqualTo(400);
        assertThat(notForced.body()).contains("not empty", "Delete everything in it too");
        assertThat(call("GET", "/api/v1/workspaces/doomed", null, adminBasic).status()).isEqualTo(200);
        HttpResponse<String> deleted = admin.action("/w/doomed/settings/workspace/delete", form("confirm", "doomed", "force", "true"));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(deleted.headers().firstValue("HX-Redirect")).hasValue("/");
        assertThat(call("GET", "/api/v1/workspaces/doomed", null, adminBasic).status()).isEqualTo(404);
        HttpResponse<String> defaultWorkspace = admin.action("/settings/workspace/delete", form("confirm", "default", "force", "true"));
        assertThat(defaultWorkspace.statusCode()).isEqualTo(400);
        assertThat(admin.page("/settings/workspace").body()).doesNotContain("id=\"workspace-delete\"");
    }

    private static int rows(String page) {
        return ids(page).size();
    }

    private static List<String> ids(String page) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("data-event=\"([^\"]+)\"").matcher(page);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String role(String username) {
        for (JsonNode assignment : call("GET", "/api/v1/access", null, adminBasic).json().path("assignments")) {
            if (assignment.path("username").asText().equals(username)) {
                return assignment.path("role").asText();
            }
        }
        return "";
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpJson.Response call(String method, String path, Object body, String authorization) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8);
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").method(method, publisher).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
