package dev.atelier.server.components.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in components are versioned components of every workspace, which users cannot overwrite. */
class BuiltinComponentsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final Map<String, String> DISPLAY_NAMES = Map.ofEntries(Map.entry("import_data", "Import Data"),
            Map.entry("select_columns", "Select Columns in Dataset"), Map.entry("clean_missing_data", "Clean Missing Data"),
            Map.entry("edit_metadata", "Edit Metadata"), Map.entry("split_data", "Split Data"), Map.entry("normalize_data", "Normalize Data"),
            Map.entry("join_data", "Join Data"), Map.entry("train_model", "Train Model"), Map.entry("train_automl", "Train with AutoML"),
            Map.entry("score_model", "Score Model"),
            Map.entry("evaluate_model", "Evaluate Model"), Map.entry("register_model", "Register Model"), Map.entry("export_data", "Export Data"));

    @Test
    void everyWorkspaceHasTheBuiltinsPinnedToTheAtelierEnvironment() {
        Map<String, JsonNode> builtins = builtins(server.http(), "");
        assertThat(builtins.keySet()).containsExactlyInAnyOrderElementsOf(BuiltinComponents.NAMES);
        builtins.forEach((name, component) -> {
            JsonNode document = component.path("document");
            assertThat(document.path("display_name").asText()).as(name).isEqualTo(DISPLAY_NAMES.get(name));
            assertThat(document.path("environment").asText()).as(name).isEqualTo("azureml:atelier:1");
            assertThat(document.path("tags").path("category").asText()).as(name)
                    .isIn("Data Input and Output", "Data Transformation", "Model Training", "Model Scoring & Evaluation");
            assertThat(component.path("version").asText()).isEqualTo("1");
            assertThat(component.path("created_by").asText()).isEqualTo("atelier");
        });
        assertThat(builtins.get("split_data").at("/document/inputs/fraction/max").asDouble()).isEqualTo(1.0);
        assertThat(builtins.get("train_model").at("/document/inputs/algorithm/enum").toString()).contains("random_forest");

        HttpJson.Response created = server.http().post("/api/v1/workspaces", Map.of("name", "builtins-team"));
        assertThat(created.status()).as(created.text()).isIn(200, 201);
        assertThat(builtins(server.http(), "/w/builtins-team").keySet()).containsExactlyInAnyOrderElementsOf(BuiltinComponents.NAMES);
    }

    @Test
    void aUserCannotRegisterOrOverwriteABuiltin() {
        HttpJson.Response refused = server.http().post("/api/v1/components", Map.of("name", "import_data", "version", "2",
                "command", "echo hijacked"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("RESOURCE_CONFLICT");
        assertThat(refused.json().path("message").asText()).contains("'import_data'", "built-in");
        assertThat(server.http().get("/api/v1/components/import_data/versions").json().path("components")).hasSize(1);
    }

    @Test
    void existingWorkspacesGetThemAtStartOnce(@TempDir Path dir) {
        ServerConfig config = ServerConfig.forTests(dir.resolve("data"));
        try (TestServer first = TestServer.start(config)) {
            assertThat(first.http().post("/api/v1/workspaces", Map.of("name", "older")).status()).isIn(200, 201);
            // a workspace from before the built-ins existed
            first.server().database().writeVoid(handle -> handle.execute("DELETE FROM components WHERE workspace = ?", "older"));
            assertThat(builtins(first.http(), "/w/older")).isEmpty();
        }
        try (TestServer second = TestServer.start(config)) {
            assertThat(builtins(second.http(), "/w/older").keySet()).containsExactlyInAnyOrderElementsOf(BuiltinComponents.NAMES);
            assertThat(second.http().get("/api/v1/components/train_model/versions").json().path("components"))
                    .as("registered again at start, not as a new version").hasSize(1);
        }
    }

    private static Map<String, JsonNode> builtins(HttpJson http, String prefix) {
        HttpJson.Response list = http.get(prefix + "/api/v1/components");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        Map<String, JsonNode> builtins = new LinkedHashMap<>();
        for (JsonNode component : list.json().path("components")) {
            if (component.at("/document/tags/" + BuiltinComponents.TAG.replace("/", "~1")).asText().equals("true")) {
                builtins.put(component.path("name").asText(), component);
            }
        }
        return builtins;
    }
}
