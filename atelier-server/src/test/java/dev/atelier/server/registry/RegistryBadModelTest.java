package dev.atelier.server.registry;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static dev.atelier.server.registry.ModelFixture.API;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to the registry: clear 4xx answers, and nothing registered. */
class RegistryBadModelTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final ModelFixture models = new ModelFixture(http);

    @Test
    void anMlmodelThatDoesNotParseIsRefused() {
        assertRefused("unparsable", "flavors: [unclosed\n  - x: {", Map.of("model.pkl", "w"), "is not valid");
    }

    @Test
    void anMlmodelWithoutFlavorsIsRefused() {
        assertRefused("no-flavors", "artifact_path: model\n", Map.of("model.pkl", "w"), "flavors");
    }

    @Test
    void anMlmodelNamingAMissingFileIsRefused() {
        assertRefused("missing-file", ModelFixture.MLMODEL, Map.of("python_env.yaml", "python: 3.11\n"), "'model.pkl'");
    }

    @Test
    void aMissingEnvironmentFileIsRegisteredWithAWarningTagAsMlflowDoes() {
        http.post(API + "registered-models/create", Map.of("name", "no-env"));
        String runId = models.newRun("no-env");
        models.logModel(runId, "model", ModelFixture.MLMODEL, Map.of("model.pkl", "w"));
        HttpJson.Response created = http.post(API + "model-versions/create", Map.of("name", "no-env", "source", "runs:/" + runId + "/model"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().at("/model_version/status").asText()).isEqualTo("READY");
        assertThat(warning(created)).contains("'python_env.yaml'").doesNotContain("model.pkl");

        String bothEnvironments = ModelFixture.MLMODEL.replace("virtualenv: python_env.yaml", "virtualenv: python_env.yaml\n      conda: conda.yaml");
        models.logModel(runId, "both", bothEnvironments, Map.of("model.pkl", "w"));
        HttpJson.Response both = http.post(API + "model-versions/create", Map.of("name", "no-env", "source", "runs:/" + runId + "/both"));
        assertThat(warning(both)).contains("'python_env.yaml'", "'conda.yaml'");

        HttpJson.Response complete = http.post(API + "model-versions/create", Map.of("name", "no-env", "source", models.logModel("no-env", "full")));
        assertThat(complete.json().at("/model_version/tags").findValuesAsText("key")).doesNotContain("atelier.warning");
    }

    private static String warning(HttpJson.Response created) {
        for (com.fasterxml.jackson.databind.JsonNode tag : created.json().at("/model_version/tags")) {
            if (tag.get("key").asText().equals("atelier.warning")) {
                return tag.get("value").asText();
            }
        }
        throw new AssertionError("no atelier.warning tag in " + created.text());
    }

    @Test
    void anMlmodelNamingAFileOutsideTheModelIsRefused() {
        String mlmodel = ModelFixture.MLMODEL.replace("pickled_model: model.pkl", "pickled_model: ../other/model.pkl");
        assertRefused("outside", mlmodel, Map.of("model.pkl", "w", "python_env.yaml", "p"), "../other/model.pkl");
    }

    @Test
    void aFolderWithoutMlmodelIsRegisteredAsItIs() {
        http.post(API + "registered-models/create", Map.of("name", "plain-files"));
        String runId = models.newRun("plain-files");
        models.logModel(runId, "weights", null, Map.of("model.onnx", "bytes"));
        HttpJson.Response created = http.post(API + "model-versions/create", Map.of("name", "plain-files", "source", "runs:/" + runId + "/weights"));
        assertThat(created.json().at("/model_version/status").asText()).isEqualTo("READY");
    }

    @Test
    void aPlaceholderSourceIsRefusedUnlessTheVersionIsAPrompt() {
        http.post(API + "registered-models/create", Map.of("name", "greeting"));
        HttpJson.Response refused = http.post(API + "model-versions/create", Map.of("name", "greeting", "source", "dummy-source"));
        assertThat(refused.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        HttpJson.Response prompt = http.post(API + "model-versions/create", Map.of("name", "greeting", "source", "dummy-source",
                "tags", java.util.List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"),
                        Map.of("key", "mlflow.prompt.text", "value", "Hello {{name}}!"))));
        assertThat(prompt.status()).isEqualTo(200);
        assertThat(prompt.json().at("/model_version/status").asText()).isEqualTo("READY");
        assertThat(prompt.json().at("/model_version/version").asText()).isEqualTo("1");
        assertThat(prompt.json().at("/model_version/run_id").asText()).isEmpty();
        assertThat(http.get(API + "model-versions/get-download-uri?name=greeting&version=1").json().get("artifact_uri").asText())
                .isEqualTo("dummy-source");
    }

    @Test
    void unknownNamesVersionsStagesAndBadAliasesAreClearErrors() {
        models.createVersion("bad-input");
        assertThat(http.get(API + "model-versions/get?name=bad-input&version=99").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.get(API + "model-versions/get?name=bad-input&version=one").errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.get(API + "model-versions/get?name=no-model&version=1").status()).isEqualTo(404);
        assertThat(http.post(API + "model-versions/transition-stage", Map.of("name", "bad-input", "version", "1", "stage", "Live",
                "archive_existing_versions", false)).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        for (String alias : new String[] {"latest", "LATEST", "v1", "V12", "has space", "slash/alias", ""}) {
            HttpJson.Response set = http.post(API + "registered-models/alias", Map.of("name", "bad-input", "alias", alias, "version", "1"));
            assertThat(set.status()).as(alias).isEqualTo(400);
            assertThat(set.errorCode()).as(alias).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        assertThat(http.post(API + "registered-models/alias", Map.of("name", "bad-input", "alias", "v1x", "version", "1")).status()).isEqualTo(200);
        assertThat(http.get(API + "registered-models/get?name=bad-input").json().at("/registered_model/aliases")).hasSize(1);
    }

    private static void assertRefused(String name, String mlmodel, Map<String, String> files, String messagePart) {
        http.post(API + "registered-models/create", Map.of("name", name));
        String runId = models.newRun("bad-" + name);
        models.logModel(runId, "model", mlmodel, files);
        HttpJson.Response refused = http.post(API + "model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(refused.json().get("message").asText()).contains("MLmodel").contains(messagePart);
        assertThat(http.get(API + "registered-models/get?name=" + name).json().at("/registered_model").has("latest_versions")).isFalse();
        assertThat(http.get(API + "model-versions/get?name=" + name + "&version=1").status()).isEqualTo(404);
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts?path=registry").json().path("files").size())
                .isEqualTo(http.get(API + "model-versions/search").json().path("model_versions").size());
    }
}
