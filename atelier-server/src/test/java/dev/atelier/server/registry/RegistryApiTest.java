package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry over raw HTTP, as MLflow's Python client sends it: shapes, error codes and quirks. */
class RegistryApiTest {
    private static final String API = "/api/2.0/mlflow/";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final ModelFixture models = new ModelFixture(http);

    @Test
    void createdVersionIsReadyWithMlflowFieldsInMlflowOrder() {
        createModel("shape-model");
        String runId = models.newRun("shapes");
        models.logModel(runId, "model", ModelFixture.MLMODEL, Map.of("model.pkl", "w", "python_env.yaml", "python: 3.11\n"));
        HttpJson.Response created = http.post(API + "model-versions/create",
                Map.of("name", "shape-model", "source", "mlflow-artifacts:/" + models.artifactRoot(runId) + "/model"));
        assertThat(created.status()).isEqualTo(200);
        JsonNode version = created.json().get("model_version");
        assertThat(fieldNames(version)).containsExactly("name", "version", "creation_timestamp", "last_updated_timestamp",
                "current_stage", "description", "source", "run_id", "status", "run_link");
        assertThat(version.get("run_id").asText()).as("a version created without a run, as MLflow writes it").isEmpty();
        assertThat(version.get("version").isTextual()).isTrue();
        assertThat(version.get("creation_timestamp").isNumber()).isTrue();
        assertThat(version.get("current_stage").asText()).isEqualTo("None");
        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.get("description").asText()).isEmpty();

        HttpJson.Response second = http.post(API + "model-versions/create", Map.of("name", "shape-model", "source", "runs:/" + runId + "/model"));
        assertThat(second.json().at("/model_version/version").asText()).isEqualTo("2");
    }

    @Test
    void duplicateModelIsResourceAlreadyExistsWith400() {
        createModel("duplicate-model");
        HttpJson.Response again = http.post(API + "registered-models/create", Map.of("name", "duplicate-model"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void unknownModelAndVersionAreResourceDoesNotExist() {
        HttpJson.Response model = http.get(API + "registered-models/get?name=nowhere");
        assertThat(model.status()).isEqualTo(404);
        assertThat(model.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(model.json().get("message").asText()).isEqualTo("Registered Model with name=nowhere not found");

        createModel("one-version-model");
        HttpJson.Response version = http.get(API + "model-versions/get?name=one-version-model&version=7");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.post(API + "model-versions/create", Map.of("name", "nowhere", "source", models.logModel("nowhere", "m"))).status())
                .isEqualTo(404);
    }

    @Test
    void invalidStageIsInvalidParameterValueAndStagesIgnoreCase() {
        createVersion("stage-model");
        HttpJson.Response invalid = http.post(API + "model-versions/transition-stage",
                Map.of("name", "stage-model", "version", "1", "stage", "Live", "archive_existing_versions", false));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");

        HttpJson.Response staged = http.post(API + "model-versions/transition-stage",
                Map.of("name", "stage-model", "version", "1", "stage", "production", "archive_existing_versions", false));
        assertThat(staged.json().at("/model_version/current_stage").asText()).isEqualTo("Production");
    }

    @Test
    void archivingExistingVersionsMovesTheOldProductionVersion() {
        createVersion("archive-model");
        http.post(API + "model-versions/create", Map.of("name", "archive-model", "source", models.logModel("archive", "model")));
        transition("archive-model", "1", "Production", false);
        transition("archive-model", "2", "Production", true);
        assertThat(http.get(API + "model-versions/get?name=archive-model&version=1").json().at("/model_version/current_stage").asText())
                .isEqualTo("Archived");
        JsonNode latest = http.post(API + "registered-models/get-latest-versions", Map.of("name", "archive-model", "stages", List.of("Production")))
                .json().get("model_versions");
        assertThat(latest).hasSize(1);
        assertThat(latest.get(0).get("version").asText()).isEqualTo("2");
    }

    @Test
    void missingAliasIsInvalidParameterValueNot404() {
        createVersion("alias-model");
        HttpJson.Response missing = http.get(API + "registered-models/alias?name=alias-model&alias=challenger");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(missing.json().get("message").asText()).isEqualTo("Registered model alias challenger not found.");
    }

    @Test
    void aliasOnMissingVersionIsResourceDoesNotExist() {
        createVersion("alias-missing-version");
        HttpJson.Response set = http.post(API + "registered-models/alias", Map.of("name", "alias-missing-version", "alias", "champion", "version", "9"));
        assertThat(set.status()).isEqualTo(404);
        assertThat(set.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void aliasesAreSetListedResolvedAndDeletedWithAJsonBody() {
        createVersion("alias-life");
        assertThat(http.post(API + "registered-models/alias", Map.of("name", "alias-life", "alias", "champion", "version", "1")).text())
                .isEqualTo("{}");
        JsonNode model = http.get(API + "registered-models/get?name=alias-life").json().get("registered_model");
        assertThat(model.get("aliases").toString()).isEqualTo("[{\"alias\":\"champion\",\"version\":\"1\"}]");
        assertThat(model.at("/latest_versions/0").has("aliases")).isFalse();
        JsonNode byAlias = http.get(API + "registered-models/alias?name=alias-life&alias=champion").json().get("model_version");
        assertThat(byAlias.get("aliases").toString()).isEqualTo("[\"champion\"]");

        assertThat(http.send("DELETE", API + "registered-models/alias", Map.of("name", "alias-life", "alias", "champion")).status())
                .isEqualTo(200);
        assertThat(http.get(API + "registered-models/alias?name=alias-life&alias=champion").status()).isEqualTo(400);
    }

    @Test
    void searchFiltersByNamePatternAndPages() {
        for (String name : List.of("search-a", "search-b", "search-c", "other-d")) {
            createModel(name);
        }
        JsonNode like = http.get(API + "registered-models/search?filter=" + encode("name LIKE 'search-%'") + "&max_results=2").json();
        assertThat(like.get("registered_models")).extracting(node -> node.get("name").asText()).containsExactly("search-a", "search-b");
        String token = like.get("next_page_token").asText();
        JsonNode next = http.get(API + "registered-models/search?filter=" + encode("name LIKE 'search-%'") + "&max_results=2&page_token=" + token).json();
        assertThat(next.get("registered_models")).extracting(node -> node.get("name").asText()).containsExactly("search-c");
        assertThat(next.has("next_page_token")).isFalse();

        JsonNode exact = http.get(API + "registered-models/search?filter=" + encode("name = 'other-d'")).json();
        assertThat(exact.get("registered_models")).hasSize(1);
        assertThat(http.get(API + "registered-models/search?filter=" + encode("name ~ 'x'")).status()).isEqualTo(400);
    }

    @Test
    void versionSearchFiltersByRunIdList() {
        createModel("run-filter");
        String source = models.logModel("run-filter", "model");
        http.post(API + "model-versions/create", Map.of("name", "run-filter", "source", source, "run_id", "aaaa"));
        String second = models.logModel("run-filter", "model");
        http.post(API + "model-versions/create", Map.of("name", "run-filter", "source", second, "run_id", "bbbb"));
        http.post(API + "model-versions/create", Map.of("name", "run-filter", "source", source, "run_id", "cccc"));
        JsonNode found = http.get(API + "model-versions/search?filter=" + encode("run_id IN ('aaaa', 'cccc')")).json();
        assertThat(found.get("model_versions")).extracting(node -> node.get("run_id").asText()).containsExactlyInAnyOrder("aaaa", "cccc");
        JsonNode bySource = http.get(API + "model-versions/search?filter=" + encode("source_path = '" + second + "'")).json();
        assertThat(bySource.get("model_versions")).extracting(node -> node.get("version").asText()).containsExactly("2");
    }

    @Test
    void renamedModelKeepsItsVersionsAndDeletedModelIsGone() {
        createVersion("before-rename");
        JsonNode renamed = http.post(API + "registered-models/rename", Map.of("name", "before-rename", "new_name", "after-rename"))
                .json().get("registered_model");
        assertThat(renamed.get("name").asText()).isEqualTo("after-rename");
        assertThat(http.get(API + "model-versions/get?name=after-rename&version=1").status()).isEqualTo(200);
        assertThat(http.send("DELETE", API + "registered-models/delete", Map.of("name", "after-rename")).status()).isEqualTo(200);
        assertThat(http.get(API + "registered-models/get?name=after-rename").status()).isEqualTo(404);
    }

    @Test
    void deletedVersionNumberIsNotReused() {
        createVersion("reuse-model");
        assertThat(http.send("DELETE", API + "model-versions/delete", Map.of("name", "reuse-model", "version", "1")).status()).isEqualTo(200);
        assertThat(http.get(API + "model-versions/get?name=reuse-model&version=1").status()).isEqualTo(404);
        JsonNode next = http.post(API + "model-versions/create", Map.of("name", "reuse-model", "source", models.logModel("reuse", "model"))).json();
        assertThat(next.at("/model_version/version").asText()).isEqualTo("2");
    }

    @Test
    void descriptionsAndTagsAreUpdated() {
        createVersion("update-model");
        JsonNode model = http.send("PATCH", API + "registered-models/update", Map.of("name", "update-model", "description", "d"))
                .json().get("registered_model");
        assertThat(model.get("description").asText()).isEqualTo("d");
        JsonNode version = http.send("PATCH", API + "model-versions/update", Map.of("name", "update-model", "version", "1", "description", "v"))
                .json().get("model_version");
        assertThat(version.get("description").asText()).isEqualTo("v");

        http.post(API + "registered-models/set-tag", Map.of("name", "update-model", "key", "team", "value", "ml"));
        http.post(API + "model-versions/set-tag", Map.of("name", "update-model", "version", "1", "key", "ok", "value", "yes"));
        assertThat(http.get(API + "registered-models/get?name=update-model").json().at("/registered_model/tags/0/key").asText()).isEqualTo("team");
        assertThat(http.get(API + "model-versions/get?name=update-model&version=1").json().at("/model_version/tags/0/value").asText())
                .isEqualTo("yes");
        http.send("DELETE", API + "registered-models/delete-tag", Map.of("name", "update-model", "key", "team"));
        http.send("DELETE", API + "model-versions/delete-tag", Map.of("name", "update-model", "version", "1", "key", "ok"));
        assertThat(http.get(API + "registered-models/get?name=update-model").json().at("/registered_model").has("tags")).isFalse();
        assertThat(http.get(API + "model-versions/get?name=update-model&version=1").json().at("/model_version").has("tags")).isFalse();
    }

    @Test
    void registryRoutesAreServedUnderTheAjaxPrefix() {
        createModel("ajax-model");
        assertThat(http.get("/ajax-api/2.0/mlflow/registered-models/get?name=ajax-model").status()).isEqualTo(200);
    }

    private static void createModel(String name) {
        assertThat(http.post(API + "registered-models/create", Map.of("name", name)).status()).isEqualTo(200);
    }

    private static void createVersion(String name) {
        models.createVersion(name);
    }

    private static void transition(String name, String version, String stage, boolean archive) {
        assertThat(http.post(API + "model-versions/transition-stage",
                Map.of("name", name, "version", version, "stage", stage, "archive_existing_versions", archive)).status()).isEqualTo(200);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aWorkspaceHoldingOnlyModelsNeedsForceToBeDeleted() {
        http.post("/api/v1/workspaces", java.util.Map.of("name", "models-only"));
        assertThat(http.post("/w/models-only" + API + "registered-models/create", java.util.Map.of("name", "kept")).status()).isEqualTo(200);
        assertThat(http.send("DELETE", "/api/v1/workspaces/models-only", null).errorCode()).isEqualTo("INVALID_STATE");
        assertThat(http.send("DELETE", "/api/v1/workspaces/models-only?force=true", null).status()).isEqualTo(200);
    }
}
