package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Schedules area over a real server (no auth: everyone has WRITE): the list with next fire time and state, a
 * schedule's page with its next fire times and the jobs it made, escaping, and the enable, disable and trigger buttons
 * posted with the CSRF token (refused without it).
 */
class SchedulePagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @BeforeAll
    static void create() {
        HttpJson.Response created = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/schedules"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString("""
                        name: web-nightly
                        description: "<script>alert('schedule')</script> retrains"
                        trigger: {type: cron, expression: "30 2 * * *", time_zone: America/New_York}
                        create_job: {type: command, command: echo scheduled}
                        """, StandardCharsets.UTF_8)).build());
        assertThat(created.status()).as(created.text()).isEqualTo(200);
    }

    @Test
    void theListShowsEachScheduleWithItsNextFireTimeAndState() {
        String next = server.http().get("/api/v1/schedules/web-nightly").json().path("next_fire_times").get(0).asText();
        HttpJson.Response list = page("/schedules");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("data-schedule=\"web-nightly\"", "href=\"/schedules/web-nightly\"", "cron 30 2 * * *",
                "America/New_York", next, "class=\"active\" data-area=\"schedules\"", "data-action=\"trigger\"");
    }

    @Test
    void disablingTriggeringAndEnablingFromThePortal() {
        assertThat(action("/schedules/web-nightly/disable", true).status()).isEqualTo(204);
        String disabled = page("/schedules/web-nightly").text();
        assertThat(disabled).contains("id=\"schedule-state\">Disabled", "data-action=\"enable\"", "id=\"no-next-fire\"");

        HttpJson.Response triggered = action("/schedules/web-nightly/trigger", true);
        assertThat(triggered.status()).isEqualTo(204);
        String job = server.http().get("/api/v1/schedules/web-nightly").json().path("last_job").asText();
        assertThat(page("/schedules/web-nightly").text()).contains("href=\"/jobs/" + job + "\"", "triggered");

        assertThat(action("/schedules/web-nightly/enable", true).status()).isEqualTo(204);
        String enabled = page("/schedules/web-nightly").text();
        assertThat(enabled).contains("id=\"schedule-state\">Enabled", "data-action=\"disable\"", "id=\"next-fire-times\"");
        assertThat(enabled).doesNotContain("<script>alert('schedule')").contains("&lt;script&gt;");
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefused() {
        assertThat(action("/schedules/web-nightly/trigger", false).status()).isEqualTo(403);
    }

    @Test
    void anUnknownScheduleIsAPortalNotFoundPage() {
        HttpJson.Response missing = page("/schedules/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("text/html");
    }

    private static HttpJson.Response page(String path) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html").GET().build());
    }

    private static HttpJson.Response action(String path, boolean withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("HX-Request", "true")
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded");
        if (withToken) {
            request.header("X-CSRF-Token", PortalForms.csrfToken(server.http()));
        }
        return server.http().send(request.POST(HttpRequest.BodyPublishers.ofString("", StandardCharsets.UTF_8)).build());
    }
}
