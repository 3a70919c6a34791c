package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The native endpoints API: documents, validation, traffic rules and keys. */
class EndpointApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;
    private static final HttpJson http = server.http();
    private static ServingFixture serving;

    @BeforeAll
    static void registerModels() throws Exception {
        serving = new ServingFixture(http, scratch);
        serving.registerOnnx("api-onnx");
        serving.register("api-sklearn", writeSklearnModel());
    }

    private static Path writeSklearnModel() throws Exception {
        Path folder = java.nio.file.Files.createTempDirectory(scratch, "sklearn");
        java.nio.file.Files.writeString(folder.resolve("MLmodel"), "artifact_path: model\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n");
        java.nio.file.Files.writeString(folder.resolve("model.pkl"), "weights");
        return folder;
    }

    @Test
    void endpointDocumentsAreValidatedField_by_field() {
        refused(serving.postYaml("/api/v1/endpoints", "name: x\n"), "'name'");
        refused(serving.postYaml("/api/v1/endpoints", "name: has_underscore\n"), "'name'");
        refused(serving.postYaml("/api/v1/endpoints", "name: okname\nauth_mode: aad_token\n"), "auth_mode");
        refused(serving.postYaml("/api/v1/endpoints", "name: okname\nauthmode: key\n"), "authmode");
        refused(serving.postYaml("/api/v1/endpoints", "name: okname\ntraffic: {blue: 100}\n"), "traffic");
        refused(serving.postYaml("/api/v1/endpoints", "name: [unclosed\n"), "YAML");
        assertThat(http.get("/api/v1/endpoints").json().path("endpoints").findValuesAsText("name")).doesNotContain("okname");

        serving.createEndpoint("$schema: https://example.invalid/managedOnlineEndpoint.schema.json\nname: okname\n"
                + "auth_mode: key\ntags: {team: growth}\n");
        HttpJson.Response again = serving.postYaml("/api/v1/endpoints", "name: okname\n");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        JsonNode shown = http.get("/api/v1/endpoints/okname").json();
        assertThat(shown.path("tags").path("team").asText()).isEqualTo("growth");
        assertThat(shown.path("auth_mode").asText()).isEqualTo("key");
        assertThat(http.get("/api/v1/endpoints/missing").status()).isEqualTo(404);
    }

    @Test
    void deploymentDocumentsAreValidatedBeforeAnythingIsStored() {
        serving.createEndpoint("name: checks\n");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: models:/nope/1\n"), "nope");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: runs:/abc/model\n"), "'model'");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: models:/api-sklearn/1\n"), "sklearn");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: models:/api-onnx/1\ninstance_count: 0\n"),
                "instance_count");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: models:/api-onnx/1\n"
                + "request_settings: {request_timeout_ms: -1}\n"), "request_timeout_ms");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: models:/api-onnx/1\ncompute: gpu-cluster\n"),
                "gpu-cluster");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nmodel: models:/api-onnx/1\n"
                + "code_configuration: {code: ./src, scoring_script: score.py}\n"), "snapshot");
        refused(serving.postYaml("/api/v1/endpoints/checks/deployments", "name: blue\nendpoint_name: other\nmodel: models:/api-onnx/1\n"),
                "endpoint_name");
        assertThat(http.get("/api/v1/endpoints/checks/deployments").json().path("deployments")).isEmpty();

        JsonNode created = serving.createDeployment("checks", """
                $schema: https://example.invalid/managedOnlineDeployment.schema.json
                name: blue
                endpoint_name: checks
                model: azureml:api-onnx:1
                instance_type: Standard_DS3_v2
                instance_count: 2
                request_settings: {max_concurrent_requests_per_instance: 4, request_timeout_ms: 2000}
                environment_variables: {MODE: fast}
                """);
        assertThat(created.path("model_version").path("version").asText()).isEqualTo("1");
        assertThat(created.path("request_settings").path("max_concurrent_requests_per_instance").asInt()).isEqualTo(4);
        assertThat(created.path("provisioning_state").asText()).isIn("Creating", "Succeeded");
        assertThat(serving.awaitProvisioned("checks", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
        assertThat(http.get("/api/v1/endpoints/checks").json().path("traffic").path("blue").asInt())
                .as("the first deployment takes all traffic").isEqualTo(100);
    }

    @Test
    void trafficMustSumToOneHundredOverExistingDeploymentsAndMirrorFollowsAzureRules() {
        serving.createEndpoint("name: split\n");
        serving.createDeployment("split", "name: blue\nmodel: models:/api-onnx/1\n");
        serving.createDeployment("split", "name: green\nmodel: models:/api-onnx/1\n");
        refused(http.send("PATCH", "/api/v1/endpoints/split", Map.of("traffic", Map.of("blue", 90, "green", 20))), "sum to 110");
        refused(http.send("PATCH", "/api/v1/endpoints/split", Map.of("traffic", Map.of("blue", 90, "red", 10))), "red");
        refused(http.send("PATCH", "/api/v1/endpoints/split", Map.of("traffic", Map.of("blue", 100), "mirror_traffic",
                Map.of("green", 60))), "50%");
        refused(http.send("PATCH", "/api/v1/endpoints/split", Map.of("traffic", Map.of("blue", 50, "green", 50), "mirror_traffic",
                Map.of("green", 10))), "live traffic");
        HttpJson.Response split = http.send("PATCH", "/api/v1/endpoints/split", Map.of("traffic", Map.of("blue", 90, "green", 10)));
        assertThat(split.status()).as(split.text()).isEqualTo(200);
        assertThat(split.json().path("traffic").path("green").asInt()).isEqualTo(10);

        HttpJson.Response withTraffic = http.send("DELETE", "/api/v1/endpoints/split/deployments/green", null);
        assertThat(withTraffic.status()).isEqualTo(400);
        assertThat(withTraffic.json().path("message").asText()).contains("10% of the traffic");
        http.send("PATCH", "/api/v1/endpoints/split", Map.of("traffic", Map.of("blue", 100, "green", 0)));
        assertThat(http.send("DELETE", "/api/v1/endpoints/split/deployments/green", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/endpoints/split").json().path("traffic").has("green")).isFalse();
    }

    @Test
    void keysCanBeReadAndRegenerated() {
        serving.createEndpoint("name: keyed\n");
        JsonNode keys = http.get("/api/v1/endpoints/keyed/keys").json();
        assertThat(keys.path("primary_key").asText()).hasSizeGreaterThan(30).isNotEqualTo(keys.path("secondary_key").asText());
        JsonNode regenerated = http.post("/api/v1/endpoints/keyed/keys/regenerate", Map.of("key_type", "secondary")).json();
        assertThat(regenerated.path("primary_key").asText()).isEqualTo(keys.path("primary_key").asText());
        assertThat(regenerated.path("secondary_key").asText()).isNotEqualTo(keys.path("secondary_key").asText());
        refused(http.post("/api/v1/endpoints/keyed/keys/regenerate", Map.of("key_type", "tertiary")), "key_type");
        serving.createEndpoint("name: tokened\nauth_mode: aml_token\n");
        assertThat(http.get("/api/v1/endpoints/tokened/keys").status()).isEqualTo(400);
        assertThat(http.send("DELETE", "/api/v1/endpoints/keyed", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/secrets").text()).doesNotContain("endpoint-keyed-keys");
    }

    private static void refused(HttpJson.Response response, String messagePart) {
        assertThat(response.status()).as(response.text()).isBetween(400, 499);
        assertThat(response.json().path("message").asText()).contains(messagePart);
    }
}
