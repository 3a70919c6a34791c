package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;
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

/** A run's {@code .ipynb} artifacts over plain HTTP: rendered read-only, every output escaped, long notebooks cut short. */
class NotebookPreviewPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String runId;

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        String experimentId = data.experiment("notebooks");
        runId = data.run(experimentId, "executed", Map.of(), Map.of());
        data.artifact(experimentId, runId, "outputs/analysis.ipynb", NotebookFixtures.everyOutput());
        data.artifact(experimentId, runId, "outputs/long.ipynb", NotebookFixtures.manyCells(250));
        data.artifact(experimentId, runId, "outputs/broken.ipynb", "{\"cells\": [");
        data.finish(runId);
    }

    private static String preview(String file) {
        HttpJson.Response response = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/runs/" + runId
                + "/artifacts?path=outputs&file=" + URLEncoder.encode(file, StandardCharsets.UTF_8))).header("Accept", "text/html").GET().build());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text();
    }

    @Test
    void notebookShowsCellsAndOutputsWithImagesAsDataUris() {
        String html = preview("outputs/analysis.ipynb");
        assertThat(html).contains("data-kind=\"NOTEBOOK\"", "id=\"notebook\"")
                .contains("data-cell=\"markdown\"", "# Results")
                .contains("<span class=\"nb-prompt\">[1]</span>", "print('hello from the notebook')")
                .contains("data-output=\"stream\"", "hello from the notebook\n")
                .contains("data-output=\"text\"", ">42</pre>")
                .contains("src=\"data:image/png;base64," + NotebookFixtures.PNG + "\"");
    }

    @Test
    void htmlInMarkdownAndOutputsIsShownAsTextNeverAsMarkup() {
        String html = preview("outputs/analysis.ipynb");
        assertThat(html).contains("data-output=\"html\"", "&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(2)&gt;")
                .doesNotContain("<script>alert(1)", "<b>bold", "onerror=alert(2)>", "alert(3)");
        assertThat(html).contains("Image not shown");
    }

    @Test
    void errorsShowNameValueAndTracebackWithoutAnsiCodes() {
        String html = preview("outputs/analysis.ipynb");
        assertThat(html).contains("data-output=\"error\"", "title=\"ZeroDivisionError\"", "ZeroDivisionError: division by zero")
                .doesNotContain("\u001B", "[0;31m");
    }

    @Test
    void aLongNotebookShowsItsFirstCellsAndSaysSo() {
        String html = preview("outputs/long.ipynb");
        assertThat(html).contains("id=\"notebook-truncated\"", "Showing the first 200 of 250 cells")
                .contains("x = 199").doesNotContain("x = 200", "Only the beginning of the file is shown.");
    }

    @Test
    void aFileThatIsNotANotebookIsShownAsText() {
        String html = preview("outputs/broken.ipynb");
        assertThat(html).contains("data-kind=\"JSON\"", "{\"cells\": [").doesNotContain("id=\"notebook\"");
    }
}
