package dev.atelier.server.web;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;
import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The model registry's portal pages over HTTP: list, filter and pages, a model, a version, escaping, workspaces, description edits. */
class ModelPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final String SCRIPT = "<script>alert(1)</script>";
    /** One more than a page of the list. */
    private static final int BULK_MODELS = 51;

    private static String irisRunId;

    @BeforeAll
    static void registerModels() {
        ModelData models = new ModelData(server.http(), "default");
        String experimentId = models.experiment("model pages");
        models.model("iris-classifier");
        irisRunId = models.version("iris-classifier", experimentId);
        models.version("iris-classifier", experimentId);
        models.call("registered-models/alias", Map.of("name", "iris-classifier", "alias", "champion", "version", "1"));
        models.call("model-versions/transition-stage", Map.of("name", "iris-classifier", "version", "2", "stage", "Staging",
                "archive_existing_versions", false));
        models.call("model-versions/set-tag", Map.of("name", "iris-classifier", "version", "1", "key", "validated", "value", "yes"));
        models.call("registered-models/set-tag", Map.of("name", "iris-classifier", "key", "team", "value", "botany"));
        models.model(SCRIPT);
        models.version(SCRIPT, experimentId);
        for (int i = 0; i < BULK_MODELS; i++) {
            models.model(String.format("bulk-%02d", i));
        }
        assertThat(server.http().post("/api/v1/workspaces", Map.of("name", "team-m")).status()).isEqualTo(201);
        ModelData other = new ModelData(server.http(), "team-m");
        other.model("their-secret-model");
        other.version("their-secret-model", other.experiment("theirs"));
    }

    @Test
    void listShowsModelsAndReplacesThePlannedPage() {
        HttpJson.Response list = page("/models");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("data-model=\"bulk-00\"", "data-area=\"models\"").doesNotContain("not built yet");
        assertThat(page("/models?filter=" + encode("name = 'iris-classifier'")).text())
                .contains("data-model=\"iris-classifier\"", "Version 2", "@champion: v1", "team=botany")
                .doesNotContain("their-secret-model", "data-model=\"bulk-00\"");
    }

    @Test
    void filterTakesTheRegistrySyntaxAndShowsErrorsInline() {
        String filtered = page("/models?filter=" + encode("name LIKE 'iris%'")).text();
        assertThat(filtered).contains("data-model=\"iris-classifier\"").doesNotContain("data-model=\"bulk-00\"")
                .doesNotContain("id=\"filter-error\"");
        assertThat(page("/models?filter=" + encode("tags.team = 'botany'")).text()).contains("data-model=\"iris-classifier\"")
                .doesNotContain("data-model=\"bulk-00\"");
        HttpJson.Response bad = page("/models?filter=" + encode("name >>> 'x'"));
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.text()).contains("id=\"filter-error\"", "No models match this filter", "value=\"name >>> &#39;x&#39;\"");
    }

    @Test
    void listIsPagedOnTheServer() {
        String first = page("/models?filter=" + encode("name LIKE 'bulk-%'")).text();
        assertThat(first).contains("data-model=\"bulk-00\"", "data-model=\"bulk-49\"", "id=\"next-page\"")
                .doesNotContain("data-model=\"bulk-50\"");
        String nextUrl = first.replaceAll("(?s).*<a href=\"([^\"]+)\" id=\"next-page\">.*", "$1").replace("&amp;", "&");
        assertThat(nextUrl).startsWith("/models?").contains("page_token=");
        String second = page(nextUrl).text();
        assertThat(second).contains("data-model=\"bulk-50\"", "First page").doesNotContain("data-model=\"bulk-00\"", "id=\"next-page\"");
    }

    @Test
    void modelPageListsVersionsWithStageAliasesTagsAndRuns() {
        HttpJson.Response model = page("/models/iris-classifier");
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.text()).contains("id=\"model-name\">iris-classifier", "data-version=\"1\"", "data-version=\"2\"",
                "Staging", "@champion", "validated=yes", "/runs/" + irisRunId, "/models/iris-classifier/versions/2",
                "id=\"description-form\"");
        assertThat(page("/models/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void versionPageShowsSignatureFlavorsFilesAndLineage() {
        String html = page("/models/iris-classifier/versions/1").text();
        assertThat(html).contains("data-part=\"inputs\"", "features", "tensor float32", "shape [-1,4]", "species", "required")
                .contains("data-part=\"params\"", "threshold", "default 0.5")
                .contains("data-flavor=\"onnx\"", "model.onnx", "data-flavor=\"python_function\"")
                .contains("data-file=\"MLmodel\"", "/api/2.0/mlflow-artifacts/artifacts/registry/")
                .contains("id=\"lineage-run\" href=\"/runs/" + irisRunId + "\"", "model pages", "models:/iris-classifier/1");
        String fileUrl = html.replaceAll("(?s).*<a href=\"([^\"]+)\" data-file=\"MLmodel\">.*", "$1");
        assertThat(page(fileUrl).text()).contains("flavors:");
        assertThat(page("/models/iris-classifier/versions/9").status()).isEqualTo(404);
    }

    @Test
    void aPromptsVersionPageShowsItsTextAndNoFiles() {
        ModelData models = new ModelData(server.http(), "default");
        models.model("greeting-prompt");
        models.call("model-versions/create", Map.of("name", "greeting-prompt", "source", "dummy-source",
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"), Map.of("key", "mlflow.prompt.text", "value", "Hello {{name}}!"))));
        HttpJson.Response version = page("/models/greeting-prompt/versions/1");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.text()).contains("Hello {{name}}!");
    }

    @Test
    void namesWithMarkupAreEscaped() {
        String path = "/models/" + encode(SCRIPT).replace("+", "%20");
        for (String url : List.of("/models", path, path + "/versions/1")) {
            HttpJson.Response response = page(url);
            assertThat(response.status()).as(url).isEqualTo(200);
            assertThat(response.text()).as(url).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT);
        }
    }

    @Test
    void anotherWorkspacesModelIsNotFoundHere() {
        HttpJson.Response refused = page("/models/their-secret-model");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(page("/models/their-secret-model/versions/1").status()).isEqualTo(404);
        assertThat(page("/w/team-m/models/their-secret-model").text()).contains("id=\"model-name\">their-secret-model");
        assertThat(page("/w/team-m/models/their-secret-model/versions/1").text()).contains("href=\"/w/team-m/runs/");
    }

    @Test
    void descriptionIsEditedWithHtmx() {
        HttpJson.Response saved = post("/models/iris-classifier/description", "description=" + encode("Predicts <b>species</b>\nfrom petals"));
        assertThat(saved.status()).isEqualTo(204);
        assertThat(page("/models/iris-classifier").text()).contains("Predicts &lt;b&gt;species&lt;/b&gt;\nfrom petals");
        assertThat(page("/models?sort=" + encode("last_updated_timestamp DESC")).text()).contains("Predicts &lt;b&gt;species&lt;/b&gt;");
        assertThat(post("/models/iris-classifier/versions/2/description", "description=candidate").status()).isEqualTo(204);
        assertThat(page("/models/iris-classifier/versions/2").text()).contains("candidate");
        HttpJson.Response missing = post("/models/iris-classifier/description", "other=1");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text()).contains("class=\"flash error\"", "description");
        assertThat(post("/models/their-secret-model/description", "description=mine").status()).isEqualTo(404);
    }

    @Test
    void editingADescriptionNeedsWrite() throws IOException {
        try (TestServer secured = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-model-pages"))
                .withSecurity(new SecurityConfig(true, Optional.of("admin-pass-123"), Optional.empty())))) {
            String admin = basic("admin", "admin-pass-123");
            HttpJson http = secured.http();
            assertThat(send(http, "POST", secured.url() + "/api/v1/auth/password", admin, "application/json",
                    HttpJson.toJson(Map.of("current_password", "admin-pass-123", "new_password", "admin-pass-456"))).status()).isEqualTo(200);
            admin = basic("admin", "admin-pass-456");
            assertThat(send(http, "POST", secured.url() + "/api/v1/users", admin, "application/json",
                    HttpJson.toJson(Map.of("username", "rita", "password", "rita-password-1"))).status()).isEqualTo(201);
            assertThat(send(http, "POST", secured.url() + "/api/v1/access", admin, "application/json",
                    HttpJson.toJson(Map.of("username", "rita", "role", "Reader"))).status()).isEqualTo(200);
            assertThat(send(http, "POST", secured.url() + "/api/2.0/mlflow/registered-models/create", admin, "application/json",
                    HttpJson.toJson(Map.of("name", "guarded"))).status()).isEqualTo(200);
            String reader = basic("rita", "rita-password-1");
            HttpJson.Response seen = send(http, "GET", secured.url() + "/models/guarded", reader, null, null);
            assertThat(seen.status()).isEqualTo(200);
            assertThat(seen.text()).contains("id=\"model-name\">guarded").doesNotContain("id=\"description-form\"");
            assertThat(send(http, "POST", secured.url() + "/models/guarded/description", reader,
                    "application/x-www-form-urlencoded", "description=nope").status()).isEqualTo(403);
            assertThat(send(http, "POST", secured.url() + "/models/guarded/description", admin,
                    "application/x-www-form-urlencoded", "description=by-admin").status()).isEqualTo(204);
            assertThat(send(http, "GET", secured.url() + "/models/guarded", reader, null, null).text()).contains("by-admin");
        }
    }

    private static HttpJson.Response page(String path) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html").GET().build());
    }

    private static HttpJson.Response post(String path, String form) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html")
                .header("HX-Request", "true").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-CSRF-Token", PortalForms.csrfToken(server.http()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static HttpJson.Response send(HttpJson http, String method, String url, String authorization, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").header("Authorization", authorization)
                .header("HX-Request", "true")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build());
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
