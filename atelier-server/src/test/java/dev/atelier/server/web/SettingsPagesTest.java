package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static dev.atelier.server.web.PortalSession.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Settings pages without authentication: members and tokens say it is off and how to turn it
 * on; secrets, the audit log and the workspace's properties work for the local user.
 */
class SettingsPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void membersAndTokensSayAuthenticationIsOff() {
        PortalSession local = PortalSession.local(server.url());
        for (String path : new String[]{"/settings/members", "/settings/tokens"}) {
            HttpResponse<String> page = local.page(path);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"auth-off\"", "Authentication is off", "--auth")
                    .doesNotContain("id=\"grant-form\"", "id=\"token-form\"");
        }
        HttpResponse<String> grant = local.action("/settings/members", form("username", "someone", "role", "Reader"));
        assertThat(grant.statusCode()).isEqualTo(400);
        assertThat(grant.body()).contains("Authentication is off", "--auth");
        assertThat(local.action("/settings/tokens", form("name", "t")).body()).contains("Authentication is off");
        assertThat(local.page("/settings").body()).contains("data-tab=\"audit\"", "Authentication is off");
    }

    @Test
    void theLocalUserManagesAndRevealsSecretsAndSeesItInTheAuditLog() {
        PortalSession local = PortalSession.local(server.url());
        HttpResponse<String> created = local.action("/settings/secrets", form("name", "api-key", "value", "line one\r\nline two ",
                "description", "the vendor's key"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
        assertThat(created.headers().firstValue("HX-Redirect")).hasValue("/settings/secrets");
        String page = local.page("/settings/secrets").body();
        assertThat(page).contains("data-secret=\"api-key\"", "the vendor's key", "reveal-secret", "id=\"create-secret\"")
                .doesNotContain("line one");
        assertThat(server.http().get("/api/v1/secrets/api-key/value").json().path("value").asText()).isEqualTo("line one\nline two ");

        assertThat(local.action("/settings/secrets/api-key/versions", form("value", "second", "description", "")).statusCode())
                .isEqualTo(204);
        assertThat(server.http().get("/api/v1/secrets/api-key").json().path("description").asText()).isEqualTo("the vendor's key");
        HttpResponse<String> shown = local.action("/settings/secrets/api-key/value", "");
        assertThat(shown.body()).contains(">second<", "data-version=\"2\"");
        assertThat(shown.headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> duplicate = local.action("/settings/secrets", form("name", "api-key", "value", "x"));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("already exists");
        HttpResponse<String> noValue = local.action("/settings/secrets", form("name", "empty", "value", ""));
        assertThat(noValue.statusCode()).isEqualTo(400);
        assertThat(noValue.body()).contains("Missing value for required parameter 'value'");
        HttpResponse<String> badName = local.action("/settings/secrets", form("name", "no spaces", "value", "x"));
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("name");

        String audit = local.page("/settings/audit").body();
        assertThat(audit).contains("POST /settings/secrets/{name}/value", "/settings/secrets/api-key/value", "POST /settings/secrets",
                "<td class=\"principal\">local</td>");
        assertThat(local.action("/settings/secrets/api-key/delete", "").statusCode()).isEqualTo(204);
        assertThat(server.http().get("/api/v1/secrets/api-key").status()).isEqualTo(404);
    }

    @Test
    void theLocalUserEditsTheWorkspace() {
        PortalSession local = PortalSession.local(server.url());
        assertThat(server.http().post("/api/v1/workspaces", java.util.Map.of("name", "scratch")).status()).isEqualTo(201);
        assertThat(local.page("/w/scratch/settings/workspace").body()).contains("id=\"workspace-edit\"", "id=\"workspace-delete\"");
        assertThat(local.action("/w/scratch/settings/workspace", form("description", "a place to try", "tags", "")).statusCode())
                .isEqualTo(204);
        assertThat(local.page("/w/scratch/settings/workspace").body()).contains("a place to try");
        assertThat(local.action("/w/scratch/settings/workspace/delete", form("confirm", "scratch")).statusCode()).isEqualTo(204);
        assertThat(server.http().get("/api/v1/workspaces/scratch").status()).isEqualTo(404);
    }
}
