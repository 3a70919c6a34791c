package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal over plain HTTP: pages render, escape what users logged, refuse other workspaces' objects, and take actions. */
class PortalPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String experimentId;
    private static String scriptRunId;
    private static String longRunId;
    private static String otherRunId;

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        experimentId = data.experiment("portal pages");
        scriptRunId = data.run(experimentId, "<script>alert(1)</script>", Map.of("lr", "0.1"), Map.of("note", "<b>bold</b>"));
        longRunId = data.run(experimentId, "long", Map.of("lr", "0.2"), Map.of());
        data.metric(longRunId, "loss", 5000, 1.0);
        data.artifact(experimentId, longRunId, "tables/scores.csv", "name,score\n\"a, b\",1\nc,2\n");
        data.finish(longRunId);
        assertThat(server.http().post("/api/v1/workspaces", Map.of("name", "team-b")).status()).isEqualTo(201);
        PortalData other = new PortalData(server.http(), "team-b");
        otherRunId = other.run(other.experiment("secret plans"), "theirs", Map.of(), Map.of());
    }

    static HttpJson.Response page(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.http().send(request.GET().build());
    }

    @Test
    void landingPageShowsCountsRecentRunsAndEveryArea() {
        HttpJson.Response landing = page("/");
        assertThat(landing.status()).isEqualTo(200);
        assertThat(landing.contentType()).startsWith("text/html");
        assertThat(landing.text()).contains("portal pages", "long", "id=\"run-count\">")
                .contains("data-area=\"experiments\"", "data-area=\"runs\"", "data-area=\"models\"", "data-area=\"jobs\"",
                        "data-area=\"compute\"", "data-area=\"data\"", "data-area=\"pipelines\"", "data-area=\"endpoints\"",
                        "data-area=\"settings\"")
                .contains("team-b");
    }

    @Test
    void runNamesAndTagsAreEscaped() {
        String html = page("/runs/" + scriptRunId).text();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;")
                .doesNotContain("<script>alert(1)</script>", "<b>bold</b>");
        assertThat(page("/experiments/" + experimentId).text()).doesNotContain("<script>alert(1)</script>");
    }

    @Test
    void notFoundPageHasTheNavigationAndRunPagesHighlightExperimentsAsTheirBreadcrumbsDo() {
        HttpJson.Response missing = page("/no-such-page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).contains("id=\"sidenav\"", "data-area=\"experiments\"", "Not found");
        assertThat(page("/w/team-b/no-such-page").text()).contains("href=\"/w/team-b/experiments\"");
        assertThat(page("/runs/" + longRunId).text()).containsPattern("class=\"active\" data-area=\"experiments\"")
                .doesNotContainPattern("class=\"active\" data-area=\"runs\"");
        assertThat(page("/runs").text()).containsPattern("class=\"active\" data-area=\"runs\"");
    }

    @Test
    void docsMentionsLinkToTheDocumentation() {
        assertThat(page("/compute").text()).contains("href=\"/docs/jobs.md\">docs/jobs.md</a>");
        HttpJson.Response doc = page("/docs/jobs.md");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.text()).contains("id=\"doc-text\"", "# ");
        assertThat(page("/docs/..%2Fpom.xml").status()).isEqualTo(404);
        assertThat(page("/docs/no-such-doc.md").status()).isEqualTo(404);
    }

    @Test
    void emptyTablesSayWhatToDo() {
        assertThat(page("/experiments?q=nothing-like-this").text()).contains("id=\"no-experiments\"");
        String id = new PortalData(server.http(), "default").experiment("empty one");
        assertThat(page("/experiments/" + id).text()).contains("id=\"no-runs\"", "mlflow.set_experiment(\"empty one\")");
        assertThat(page("/experiments/" + experimentId + "?filter=" + Formats.query("params.lr = '9'")).text())
                .contains("id=\"no-runs\"", "No run matches this filter");
    }

    @Test
    void anotherWorkspacesRunIsNotFoundHere() {
        HttpJson.Response refused = page("/runs/" + otherRunId);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.text()).contains("Not found").doesNotContain("theirs");
        assertThat(page("/compare?runs=" + longRunId + "&runs=" + otherRunId).status()).isEqualTo(404);
        assertThat(page("/w/team-b/runs/" + otherRunId).text()).contains("theirs");
    }

    @Test
    void apiClientsGetJsonErrorsFromPortalRoutes() {
        HttpJson.Response refused = server.http().get("/runs/" + otherRunId);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void invalidFilterIsShownAboveAnEmptyTable() {
        HttpJson.Response table = page("/experiments/" + experimentId + "?filter=" + encode("metrics.loss >>> 1"));
        assertThat(table.status()).isEqualTo(200);
        assertThat(table.text()).contains("id=\"filter-error\"").contains("No runs");
        HttpJson.Response valid = page("/experiments/" + experimentId + "?filter=" + encode("params.lr = '0.2'"));
        assertThat(valid.text()).doesNotContain("id=\"filter-error\"").contains("data-run-id=\"" + longRunId + "\"")
                .doesNotContain("data-run-id=\"" + scriptRunId + "\"");
    }

    @Test
    void chartDataIsDownsampledOnTheServerAndZoomFetchesDetail() {
        String html = page("/runs/" + longRunId).text();
        assertThat(html).contains("data-key=\"loss\"", "data-point-count=\"1000\"");
        HttpJson.Response zoomed = server.http().get("/runs/" + longRunId + "/metric?key=loss&start=100&end=199");
        assertThat(zoomed.json().get("points")).hasSize(100);
        assertThat(zoomed.json().get("points").get(0).get(0).asLong()).isEqualTo(100);
        HttpJson.Response whole = server.http().get("/runs/" + longRunId + "/metric?key=loss&points=50");
        assertThat(whole.json().get("points")).hasSize(50);
        assertThat(whole.json().get("points").get(49).get(0).asLong()).isEqualTo(4999);
    }

    @Test
    void csvArtifactPreviewsAsATable() {
        String html = page("/runs/" + longRunId + "/artifacts?path=tables&file=" + encode("tables/scores.csv")).text();
        assertThat(html).contains("data-kind=\"CSV\"", "<td>a, b</td>", "<td>score</td>");
        HttpJson.Response download = page("/runs/" + longRunId + "/download?path=" + encode("tables/scores.csv"));
        assertThat(download.text()).startsWith("name,score");
    }

    @Test
    void artifactPathsOutsideTheRunAreRefused() {
        assertThat(page("/runs/" + longRunId + "/download?path=" + encode("../../other/file")).status()).isEqualTo(400);
    }

    @Test
    void logsOfARunningRunAreFollowedUntilItEnds() {
        PortalData data = new PortalData(server.http(), "default");
        String runId = data.run(experimentId, "still running", Map.of(), Map.of());
        data.artifact(experimentId, runId, "logs/stdout.log", "step 1\nstep 2\n");
        String running = page("/runs/" + runId + "/logs").text();
        assertThat(running).contains("data-following=\"true\"", "hx-trigger=\"every 2s\"", "step 2");
        data.artifact(experimentId, runId, "logs/stdout.log", "step 1\nstep 2\nstep 3\n");
        assertThat(page("/runs/" + runId + "/logs/tail?path=" + encode("logs/stdout.log")).text()).contains("step 3");
        data.finish(runId);
        assertThat(page("/runs/" + runId + "/logs").text()).contains("data-following=\"false\"").doesNotContain("hx-trigger");
    }

    @Test
    void codeSnapshotHasItsOwnTabAndChildrenAreListedUnderTheirParent() {
        PortalData data = new PortalData(server.http(), "default");
        String parent = data.run(experimentId, "sweep parent", Map.of(), Map.of());
        String child = data.run(experimentId, "sweep child", Map.of(), Map.of("mlflow.parentRunId", parent));
        data.artifact(experimentId, parent, "code/train.py", "print('hello')\n");
        assertThat(page("/runs/" + parent).text()).contains("data-tab=\"code\"", "/runs/" + parent + "/children");
        assertThat(page("/runs/" + parent + "/children").text()).contains("sweep child", "Child runs (1)");
        assertThat(page("/runs/" + parent + "/code?file=train.py").text()).contains("print('hello')", "data-kind=\"TEXT\"");
        assertThat(page("/runs/" + child).text()).contains("id=\"parent-run\"").doesNotContain("data-tab=\"code\"");
        String table = page("/experiments/" + experimentId + "?filter=" + encode("attributes.run_name LIKE 'sweep%'")).text();
        assertThat(table.indexOf("data-run-id=\"" + parent)).isLessThan(table.indexOf("data-run-id=\"" + child));
        assertThat(table).contains("data-run-id=\"" + child + "\" data-depth=\"1\"");
    }

    @Test
    void pipelinesAreaListsOnlyPipelines() {
        HttpJson.Response pipelines = page("/pipelines");
        assertThat(pipelines.status()).isEqualTo(200);
        assertThat(pipelines.text()).contains("<h1>Pipelines</h1>", "id=\"no-jobs\"", "atelier job create -f pipeline.yml")
                .doesNotContain("name=\"type\"");
    }

    @Test
    void htmxActionsChangeTheWorkspaceAndRedirect() {
        HttpJson.Response created = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/experiments"))
                .header("HX-Request", "true").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-CSRF-Token", PortalForms.csrfToken(server.http()))
                .POST(HttpRequest.BodyPublishers.ofString("name=" + encode("made in the portal"))).build());
        assertThat(created.status()).isEqualTo(204);
        assertThat(page("/experiments").text()).contains("made in the portal");
        HttpJson.Response missing = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/experiments"))
                .header("HX-Request", "true").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-CSRF-Token", PortalForms.csrfToken(server.http()))
                .POST(HttpRequest.BodyPublishers.ofString("name=")).build());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text()).contains("class=\"flash error\"", "name");
    }

    @Test
    void unknownWorkspaceIsAnHtmlNotFoundPage() {
        HttpJson.Response missing = page("/w/nowhere/experiments");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).contains("Workspace 'nowhere' does not exist");
    }

    @Test
    void experimentTagsAreAddedAndRemovedFromTheExperimentPage() {
        String path = "/experiments/" + experimentId;
        HttpJson.Response tagged = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path + "/tag"))
                .header("HX-Request", "true").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-CSRF-Token", PortalForms.csrfToken(server.http()))
                .POST(HttpRequest.BodyPublishers.ofString("key=team&value=" + encode("<b>vision</b>"))).build());
        assertThat(tagged.status()).isEqualTo(204);
        assertThat(page(path).text()).contains("team=&lt;b&gt;vision&lt;/b&gt;").doesNotContain("<b>vision</b>");
        HttpJson.Response untagged = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path + "/untag"))
                .header("HX-Request", "true").header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-CSRF-Token", PortalForms.csrfToken(server.http()))
                .POST(HttpRequest.BodyPublishers.ofString("key=team")).build());
        assertThat(untagged.status()).isEqualTo(204);
        assertThat(page(path).text()).doesNotContain("team=");
    }

    @Test
    void anUnknownPathIsAnHtmlPageForBrowsersAndJsonForClients() {
        HttpJson.Response browser = page("/experimentz");
        assertThat(browser.status()).isEqualTo(404);
        assertThat(browser.contentType()).startsWith("text/html");
        assertThat(browser.text()).contains("/experimentz");
        HttpJson.Response client = server.http().get("/experimentz");
        assertThat(client.status()).isEqualTo(404);
        assertThat(client.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
