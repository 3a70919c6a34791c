package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Endpoints area over a real server (no auth: everyone has WRITE): the list, an endpoint's page
 * with its deployments, keys, traffic editor and logs, escaping, workspace scoping, and traffic
 * updates refused inline or saved.
 */
class EndpointPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;
    private static ServingFixture serving;

    @BeforeAll
    static void deploy() throws Exception {
        serving = new ServingFixture(server.http(), scratch);
        serving.registerOnnx("web-onnx");
        serving.createEndpoint("""
                name: web-ep
                auth_mode: key
                description: "<script>alert('endpoint')</script> scores & ranks"
                tags: {owner: "<b>team</b>"}
                """);
        serving.createDeployment("web-ep", "name: blue\nmodel: models:/web-onnx/1\n");
        serving.createDeployment("web-ep", "name: green\nmodel: models:/web-onnx/1\ninstance_count: 2\n");
        assertThat(serving.awaitProvisioned("web-ep", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
        assertThat(serving.awaitProvisioned("web-ep", "green").path("provisioning_state").asText()).isEqualTo("Succeeded");
    }

    @Test
    void theListShowsEachEndpointWithItsDeploymentsAndScoringUri() {
        HttpJson.Response list = page("/endpoints");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("data-endpoint=\"web-ep\"", "href=\"/endpoints/web-ep\"", "blue: Succeeded", "green: Succeeded",
                "blue 100%", server.url() + "/endpoints/web-ep/score", "class=\"active\" data-area=\"endpoints\"");
        assertThat(list.text()).doesNotContain("not built yet");
    }

    @Test
    void theDetailPageShowsUrlsKeysDeploymentsAndLogsEscaped() {
        String html = page("/endpoints/web-ep").text();
        assertThat(html).contains("id=\"base-uri\">" + server.url() + "/endpoints/web-ep<",
                "&lt;script&gt;alert('endpoint')&lt;/script&gt; scores &amp; ranks", "&lt;b&gt;team&lt;/b&gt;")
                .doesNotContain("<script>alert(", "<b>team</b>");
        String key = serving.primaryKey("web-ep");
        assertThat(html).contains("id=\"primary-key\">" + key + "<", "id=\"regenerate-secondary\"", "id=\"test-form\"", "id=\"traffic-form\"");
        assertThat(html).contains("href=\"/models/web-onnx/versions/1\"", "tr data-deployment=\"green\"");
        assertThat(html).contains("name=\"traffic.blue\" value=\"100\"", "name=\"traffic.green\" value=\"0\"");
        assertThat(html).contains("data-api=\"/api/v1/endpoints/web-ep\"", "/static/endpoints.js", "uPlot.iife.min.js");
    }

    @Test
    void anotherWorkspacesEndpointIsRefused() {
        assertThat(server.http().post("/api/v1/workspaces", Map.of("name", "web-other")).status()).isEqualTo(201);
        HttpJson.Response created = serving.postYaml("/w/web-other/api/v1/endpoints", "name: elsewhere\nauth_mode: key\n");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(page("/w/web-other/endpoints/elsewhere").status()).isEqualTo(200);
        assertThat(page("/w/web-other/endpoints").text()).contains("data-endpoint=\"elsewhere\"").doesNotContain("web-ep");
        HttpJson.Response refused = page("/endpoints/elsewhere");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.text()).contains("elsewhere", "default");
        assertThat(page("/endpoints").text()).doesNotContain("elsewhere");
        assertThat(action("/endpoints/elsewhere/traffic", "").status()).isEqualTo(404);
        assertThat(action("/endpoints/elsewhere/keys/regenerate", "key_type=primary").status()).isEqualTo(404);
    }

    @Test
    void aTrafficSplitThatDoesNotSumTo100IsShownInTheEditor() {
        HttpJson.Response refused = action("/endpoints/web-ep/traffic", "traffic.blue=70&traffic.green=20&mirror.blue=0&mirror.green=0");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).startsWith("<section class=\"card\" id=\"traffic\">")
                .contains("id=\"traffic-error\"", "sum to 90", "name=\"traffic.blue\" value=\"70\"", "name=\"traffic.green\" value=\"20\"");
        HttpJson.Response notANumber = action("/endpoints/web-ep/traffic", "traffic.blue=lots&traffic.green=0");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.text()).contains("id=\"traffic-error\"", "traffic.blue", "whole number");
        assertThat(endpoint().path("traffic")).isEqualTo(HttpJson.parse("{\"blue\": 100}"));
    }

    @Test
    void aTrafficSplitAndMirrorAreSaved() {
        HttpJson.Response saved = action("/endpoints/web-ep/traffic", "traffic.blue=100&traffic.green=0&mirror.blue=0&mirror.green=20");
        assertThat(saved.status()).as(saved.text()).isEqualTo(204);
        JsonNode endpoint = endpoint();
        assertThat(endpoint.path("traffic")).isEqualTo(HttpJson.parse("{\"blue\": 100}"));
        assertThat(endpoint.path("mirror_traffic")).isEqualTo(HttpJson.parse("{\"green\": 20}"));
        assertThat(page("/endpoints/web-ep").text()).contains("id=\"mirror-now\">green 20%<", "name=\"mirror.green\" value=\"20\"");

        HttpJson.Response split = action("/endpoints/web-ep/traffic", "traffic.blue=60&traffic.green=40&mirror.green=0");
        assertThat(split.status()).as(split.text()).isEqualTo(204);
        assertThat(endpoint().path("traffic")).isEqualTo(HttpJson.parse("{\"blue\": 60, \"green\": 40}"));
        action("/endpoints/web-ep/traffic", "traffic.blue=100&traffic.green=0");
    }

    @Test
    void regeneratingAKeyReplacesIt() {
        String before = serving.primaryKey("web-ep");
        assertThat(action("/endpoints/web-ep/keys/regenerate", "key_type=primary").status()).isEqualTo(204);
        String after = serving.primaryKey("web-ep");
        assertThat(after).isNotEqualTo(before);
        assertThat(page("/endpoints/web-ep").text()).contains(after).doesNotContain(before);
        assertThat(action("/endpoints/web-ep/keys/regenerate", "key_type=tertiary").status()).isEqualTo(400);
    }

    private static JsonNode endpoint() {
        return server.http().get("/api/v1/endpoints/web-ep").json();
    }

    private static HttpJson.Response page(String path) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html").GET().build());
    }

    private static HttpJson.Response action(String path, String form) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("HX-Request", "true")
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-CSRF-Token", PortalForms.csrfToken(server.http()))
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build());
    }
}
