package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.registry.ModelFixture.API;
import static org.assertj.core.api.Assertions.assertThat;

/** The native registry API: lineage, files, flavors and signature of a version, and models:/ resolution. */
class ModelApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final ModelFixture models = new ModelFixture(http);

    @Test
    void versionDetailShowsLineageFilesFlavorsAndSignature() {
        String source = models.logModel("lineage-experiment", "model");
        String runId = source.substring("runs:/".length(), source.lastIndexOf('/'));
        http.post(API + "runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(Map.of(
                "tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")),
                "dataset", Map.of("name", "iris", "digest", "abc123", "source_type", "local", "source", "{\"uri\": \"iris.csv\"}")))));
        http.post(API + "registered-models/create", Map.of("name", "lineage"));
        http.post(API + "model-versions/create", Map.of("name", "lineage", "source", source, "run_id", runId));

        JsonNode detail = http.get("/api/v1/models/lineage/versions/1").json();
        assertThat(detail.at("/model_version/status").asText()).isEqualTo("READY");
        assertThat(detail.get("download_uri").asText()).startsWith("mlflow-artifacts:/registry/");
        assertThat(detail.at("/lineage/run_id").asText()).isEqualTo(runId);
        assertThat(detail.at("/lineage/run_available").asBoolean()).isTrue();
        assertThat(detail.at("/lineage/experiment_name").asText()).isEqualTo("lineage-experiment");
        assertThat(detail.at("/lineage/experiment_id").asText()).isNotEmpty();
        assertThat(detail.at("/lineage/datasets/0/name").asText()).isEqualTo("iris");
        assertThat(detail.at("/lineage/datasets/0/context").asText()).isEqualTo("training");
        assertThat(detail.get("files")).extracting(file -> file.get("path").asText()).containsExactly("MLmodel", "model.pkl", "python_env.yaml");
        assertThat(detail.get("flavors").has("sklearn")).isTrue();
        assertThat(detail.at("/flavors/sklearn/pickled_model").asText()).isEqualTo("model.pkl");
        assertThat(detail.at("/signature/inputs").asText()).contains("\"name\":\"x\"");

        http.post(API + "runs/delete", Map.of("run_id", runId));
        http.post("/api/v1/gc", Map.of("older_than_ms", 0));
        JsonNode afterGc = http.get("/api/v1/models/lineage/versions/1").json();
        assertThat(afterGc.at("/lineage/run_id").asText()).isEqualTo(runId);
        assertThat(afterGc.at("/lineage/run_available").asBoolean()).isFalse();
        assertThat(afterGc.get("files")).hasSize(3);
    }

    @Test
    void modelsUrisResolveByVersionAliasStageAndLatest() {
        models.createVersion("resolved");
        http.post(API + "model-versions/create", Map.of("name", "resolved", "source", models.logModel("resolved-2", "model")));
        http.post(API + "model-versions/create", Map.of("name", "resolved", "source", models.logModel("resolved-3", "model")));
        http.post(API + "registered-models/alias", Map.of("name", "resolved", "alias", "champion", "version", "2"));
        http.post(API + "model-versions/transition-stage", Map.of("name", "resolved", "version", "1", "stage", "Production",
                "archive_existing_versions", false));
        assertThat(resolve("models:/resolved/1").at("/model_version/version").asText()).isEqualTo("1");
        assertThat(resolve("models:/resolved@champion").at("/model_version/version").asText()).isEqualTo("2");
        assertThat(resolve("models:/resolved/production").at("/model_version/version").asText()).isEqualTo("1");
        assertThat(resolve("models:/resolved/latest").at("/model_version/version").asText()).isEqualTo("3");
        assertThat(resolve("models:/resolved@champion").at("/model_version/aliases/0").asText()).isEqualTo("champion");

        assertThat(resolveStatus("models:/resolved/Live")).isEqualTo(400);
        assertThat(resolveStatus("models:/resolved")).isEqualTo(400);
        assertThat(resolveStatus("runs:/abc/model")).isEqualTo(400);
        assertThat(resolveStatus("models:/resolved@nobody")).isEqualTo(400);
        assertThat(resolveStatus("models:/resolved/Staging")).isEqualTo(404);
        assertThat(resolveStatus("models:/resolved/9")).isEqualTo(404);
        assertThat(resolveStatus("models:/unknown/1")).isEqualTo(404);
    }

    @Test
    void modelsAreListedAndShownWithTheirVersions() {
        http.post("/api/v1/workspaces", Map.of("name", "native-models"));
        ModelFixture team = new ModelFixture(http, "/w/native-models");
        team.createVersion("listed");
        http.post("/w/native-models" + API + "model-versions/create", Map.of("name", "listed", "source", team.logModel("listed-2", "model")));
        http.post("/w/native-models" + API + "registered-models/alias", Map.of("name", "listed", "alias", "prod", "version", "1"));
        assertThat(http.get("/w/native-models/api/v1/models").json().get("registered_models"))
                .extracting(model -> model.get("name").asText()).containsExactly("listed");
        JsonNode shown = http.get("/w/native-models/api/v1/models/listed").json();
        assertThat(shown.at("/registered_model/name").asText()).isEqualTo("listed");
        assertThat(shown.get("model_versions")).extracting(version -> version.get("version").asText()).containsExactly("2", "1");
        assertThat(shown.at("/model_versions/1/aliases/0").asText()).isEqualTo("prod");
        assertThat(http.get("/w/native-models/api/v1/models/listed/versions").json().get("model_versions")).hasSize(2);
        assertThat(http.get("/api/v1/models/listed").status()).isEqualTo(404);
        assertThat(http.get("/w/native-models/api/v1/models/listed/versions/7").status()).isEqualTo(404);
        assertThat(http.get("/w/native-models/api/v1/models/listed/versions/x").status()).isEqualTo(400);
    }

    private static JsonNode resolve(String uri) {
        HttpJson.Response response = http.get("/api/v1/model-versions/resolve?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static int resolveStatus(String uri) {
        return http.get("/api/v1/model-versions/resolve?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8)).status();
    }
}
