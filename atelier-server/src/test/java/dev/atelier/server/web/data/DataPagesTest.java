package dev.atelier.server.web.data;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.web.data.DataPortalClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The Data area over plain HTTP: list, asset and version pages with profile, preview and lineage, escaping, workspaces, datastores. */
class DataPagesTest {
    /** Four rows; {@code score} is 1, 3, (missing), 5: mean 3, std 2. The third column's name and a value are script tags. */
    static final String CSV = "name,score,<script>col</script>\nalice,1,<script>alert(1)</script>\nbob,3,b\ncarol,,b\ndave,5,c\n";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final DataPortalClient client = new DataPortalClient(server::url, Optional.empty());

    private static String reader;
    private static String producer;

    @BeforeAll
    static void registerData() {
        client.register("", "scores", "table", "scores.csv", CSV, Map.of("team", "vision"));
        client.register("", "notes", "uri_file", "notes.txt", "plain text", Map.of());
        client.register("", "old-notes", "uri_file", "old.txt", "old", Map.of());
        ok(client.api("POST", "/api/v1/data/old-notes/versions/1/archive", Map.of()), 200);
        reader = createRun();
        producer = createRun();
        ok(client.api("POST", "/api/v1/data/scores/versions/1/lineage", Map.of("run_id", reader, "direction", "input")), 200);
        ok(client.api("POST", "/api/v1/data/scores/versions/1/lineage", Map.of("run_id", producer, "direction", "output")), 200);
        logModelFile("MLmodel", "artifact_path: model\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n");
        logModelFile("model.pkl", "weights");
        ok(client.api("POST", "/api/2.0/mlflow/registered-models/create", Map.of("name", "churn")), 200);
        ok(client.api("POST", "/api/2.0/mlflow/model-versions/create", Map.of("name", "churn",
                "source", "mlflow-artifacts:/0/" + reader + "/artifacts/model", "run_id", reader)), 200);
        ok(client.api("POST", "/api/v1/workspaces", Map.of("name", "team-b")), 201);
        client.register("/w/team-b", "theirs", "table", "theirs.csv", "secret\nplans\n", Map.of());
    }

    @Test
    void listSearchesByNameAndHidesArchivedAssetsUntilAsked() {
        HttpJson.Response list = client.page("/data");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("href=\"/data/scores\"", "href=\"/data/notes\"", "data-area=\"data\"")
                .doesNotContain("old-notes", "theirs", "not built yet");
        assertThat(client.page("/data?q=SCO").text()).contains("/data/scores").doesNotContain("/data/notes\"");
        assertThat(client.page("/data?q=notes&archived=true").text()).contains("/data/old-notes\"", "/data/notes\"");
    }

    @Test
    void assetPageListsVersionsWithTypePathDigestTagsAndState() {
        client.register("", "notes", "uri_file", "notes.txt", "second", Map.of());
        String html = client.page("/data/notes").text();
        assertThat(html).contains("/data/notes/versions/1\"", "/data/notes/versions/2\"", "uri_file",
                "datastore://workspaceartifactstore/", "sha256:");
        assertThat(client.page("/data/scores").text()).contains("team=vision", "table");
        assertThat(client.page("/data/old-notes").text()).contains("archived");
    }

    @Test
    void versionPageShowsProfilePreviewAndLineage() {
        HttpJson.Response page = client.page("/data/scores/versions/1");
        assertThat(page.status()).isEqualTo(200);
        String html = page.text();
        assertThat(html).contains("<span id=\"row-count\">4</span>");
        String score = row(html, "score");
        assertThat(score).contains("<td>integer</td><td>1</td>", "<td>1</td><td>5</td><td>3</td><td>2</td>", "<svg class=\"histogram\"");
        assertThat(row(html, "name")).contains("<td>string</td><td>0</td><td>4</td>", "alice");
        assertThat(html).contains("id=\"preview\"", "<td>carol</td>", "<td>dave</td>");
        assertThat(html).contains("href=\"/runs/" + reader + "\"", "href=\"/runs/" + producer + "\"", "href=\"/models/churn/versions/1\"", "churn version 1")
                .contains("id=\"archive-version\"");
        assertThat(client.page("/data/scores/versions/latest").text()).contains("<span id=\"row-count\">4</span>");
    }

    @Test
    void columnNamesAndValuesAreEscaped() {
        String html = client.page("/data/scores/versions/1").text();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;col&lt;/script&gt;")
                .doesNotContain("<script>alert(1)</script>", "<script>col</script>");
    }

    @Test
    void anotherWorkspacesAssetIsNotFoundHere() {
        HttpJson.Response refused = client.page("/data/theirs/versions/1");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.text()).doesNotContain("plans");
        assertThat(client.page("/data/theirs").status()).isEqualTo(404);
        assertThat(client.page("/w/team-b/data/theirs/versions/1").text()).contains("<td>plans</td>");
        assertThat(client.page("/w/team-b/data").text()).contains("href=\"/w/team-b/data/theirs\"").doesNotContain("scores");
    }

    @Test
    void archiveAndRestoreFromTheVersionPage() {
        client.register("", "to-archive", "uri_file", "a.txt", "a", Map.of());
        HttpJson.Response archived = client.action("/data/to-archive/versions/1/archive");
        assertThat(archived.status()).isEqualTo(204);
        assertThat(client.page("/data/to-archive/versions/1").text()).contains("id=\"archived-marker\"", "id=\"restore-version\"");
        assertThat(client.api("GET", "/api/v1/data/to-archive/versions/1", Map.of()).json().get("archived").asBoolean()).isTrue();
        assertThat(client.action("/data/to-archive/versions/1/restore").status()).isEqualTo(204);
        assertThat(client.page("/data/to-archive/versions/1").text()).doesNotContain("id=\"archived-marker\"");
    }

    @Test
    void datastoresListAndDetailShowTheDefaultAndItsAssets() {
        String list = client.page("/datastores").text();
        assertThat(list).contains("href=\"/datastores/workspaceartifactstore\"", "id=\"default-datastore\"", "workspace");
        HttpJson.Response detail = client.page("/datastores/workspaceartifactstore");
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.text()).contains("artifact storage", "href=\"/data/scores\"");
        assertThat(client.page("/datastores/nowhere").status()).isEqualTo(404);
    }

    private static void logModelFile(String name, String content) {
        ok(server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/0/" + reader
                + "/artifacts/model/" + name)).PUT(HttpRequest.BodyPublishers.ofString(content)).build()), 200);
    }

    /** The profile table's row of one column. */
    private static String row(String html, String column) {
        int start = html.indexOf("<tr data-column=\"" + column + "\">");
        assertThat(start).as("row of column " + column).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private static String createRun() {
        return ok(client.api("POST", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", "0")), 200)
                .json().get("run").get("info").get("run_id").asText();
    }
}
