package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The components list and a component's page over HTTP, with what users wrote escaped. */
class ComponentPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static JobsData portal;
    private static String code;

    @BeforeAll
    static void register() {
        portal = new JobsData(server.http());
        code = portal.snapshot(Map.of("train.py", "print('train')\n", "util.py", "x = 1\n"));
        assertThat(server.http().post("/api/v1/environments", Map.of("name", "tools", "kind", "process", "executable", "python3"))
                .status()).isEqualTo(200);
        create(Map.of("name", "train", "version", "1", "description", "<script>alert(1)</script>", "code", "snapshot:" + code,
                "environment", "azureml:tools:1", "command", "python train.py --lr ${{inputs.lr}} --mode ${{inputs.mode}} "
                        + "$[[--epochs ${{inputs.epochs}}]] --out ${{outputs.model}}",
                "inputs", Map.of(
                        "lr", Map.of("type", "number", "default", 0.25, "min", 0.001, "max", 1),
                        "mode", Map.of("type", "string", "default", "fast", "enum", List.of("fast", "<slow>")),
                        "epochs", Map.of("type", "integer", "optional", true)),
                "outputs", Map.of("model", Map.of("type", "mlflow_model", "description", "the trained model"))));
        create(Map.of("name", "train", "version", "2", "description", "second", "command", "echo two"));
        create(Map.of("name", "old", "version", "1", "description", "gone", "command", "echo old"));
        assertThat(server.http().post("/api/v1/components/old/archive", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void theListShowsTheLatestVersionOfEachAndArchivedOnesOnRequest() {
        HttpJson.Response list = portal.page("/components");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("id=\"components\"", "href=\"/components/train\"", "href=\"/components/train?version=2\"", "second")
                .doesNotContain("href=\"/components/old\"");
        assertThat(portal.page("/components?archived=true").text()).contains("href=\"/components/old\"", "archived");
        assertThat(portal.page("/").text()).as("the navigation links the area").contains("href=\"/components\"");
    }

    @Test
    void aComponentsPageShowsItsInterfaceCodeAndEnvironmentEscaped() {
        HttpJson.Response page = portal.page("/components/train?version=1");
        assertThat(page.status()).isEqualTo(200);
        String html = page.text();
        assertThat(html).contains("id=\"component-name\">train:1<", "id=\"component-inputs\"", "number", "0.25", "0.001",
                "<td>yes</td>", "integer", "mlflow_model", "the trained model", "fast, &lt;slow&gt;");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)</script>");
        assertThat(html).contains("href=\"/api/v1/snapshots/" + code + "/zip\"", "2 files");
        assertThat(html).contains("href=\"/environments/tools?version=1\"", "azureml:tools:1");
        assertThat(html).contains("$[[--epochs ${{inputs.epochs}}]]");
        assertThat(html).contains("id=\"component-versions\"", "href=\"/components/train?version=2\"");

        assertThat(portal.page("/components/train").text()).as("the latest version").contains("id=\"component-name\">train:2<", "echo two");
        assertThat(portal.page("/components/old").text()).contains("id=\"component-state\">archived<");
        assertThat(portal.page("/components/nothing").status()).isEqualTo(404);
        assertThat(portal.page("/components/train?version=9").status()).isEqualTo(404);
    }

    private static void create(Map<String, Object> document) {
        HttpJson.Response created = server.http().post("/api/v1/components", document);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
    }
}
