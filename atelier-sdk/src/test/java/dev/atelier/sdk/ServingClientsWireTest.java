package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the endpoint and deployment clients send and how they read the answers, per the native API of
 * docs/endpoints.md, against a hand-written fake (EndpointCommandRoundTripTest in atelier-cli runs against the real server).
 */
class ServingClientsWireTest {
    private static final String ENDPOINT = """
            {"name":"churn","auth_mode":"key","scoring_uri":"http://x/endpoints/churn","traffic":{"blue":100},
             "mirror_traffic":{},"tags":{},"provisioning_state":"Succeeded","deployments":[]}""";

    private FakeAtelierServer fake;
    private AtelierClient client;
    private AtelierClient teamClient;

    @BeforeEach
    void start() {
        fake = FakeAtelierServer.start();
        client = AtelierClient.builder(fake.url()).credentials(Credentials.token("atl_user")).build();
        teamClient = AtelierClient.builder(fake.url()).workspace("team-a").credentials(Credentials.token("atl_user")).build();
    }

    @AfterEach
    void stop() {
        client.close();
        teamClient.close();
        fake.close();
    }

    private JsonNode bodyOf(FakeAtelierServer.Request request) throws IOException {
        return HttpTransport.mapper().readTree(request.body());
    }

    @Test
    void deploymentFileHasItsCodeFolderUploadedAndRewrittenToTheSnapshot(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("onlinescoring"));
        Files.writeString(dir.resolve("onlinescoring/score.py"), "def init():\n    pass\n\ndef run(raw):\n    return raw\n");
        Path file = Files.writeString(dir.resolve("blue.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json
                name: blue
                endpoint_name: churn
                model: models:/churn/1
                code_configuration:
                  code: ./onlinescoring
                  scoring_script: score.py
                environment: py@latest
                instance_count: 2
                """);
        fake.answer("POST", "/api/v1/snapshots/missing-blobs", 200, "{\"missing\":[]}")
                .answer("POST", "/api/v1/snapshots", 201, "{\"snapshot_id\":\"5e1f\"}");
        List<Long> started = new ArrayList<>();

        ObjectNode document = client.deployments().prepare(file, new UploadProgress() {
            @Override
            public void start(long bytes, int files) {
                started.add(bytes);
            }

            @Override
            public void advance(long bytes) {
                // Nothing is sent: the fake lacks no blob.
            }
        });

        assertThat(document.path("code_configuration").path("code").asText()).isEqualTo("snapshot:5e1f");
        assertThat(document.path("code_configuration").path("scoring_script").asText()).isEqualTo("score.py");
        assertThat(document.has("$schema")).isFalse();
        assertThat(started).containsExactly(0L);
        JsonNode manifest = bodyOf(fake.requests().getFirst());
        assertThat(manifest.path("files").findValuesAsText("path")).containsExactly("score.py");

        fake.answer("POST", "/api/v1/endpoints/churn/deployments", 201, "{\"name\":\"blue\",\"provisioning_state\":\"Creating\"}");
        JsonNode created = client.deployments().create("churn", document);
        assertThat(created.path("provisioning_state").asText()).isEqualTo("Creating");
        JsonNode sent = bodyOf(fake.lastRequest());
        assertThat(sent.has("endpoint_name")).isFalse();
        assertThat(sent.path("instance_count").asInt()).isEqualTo(2);
        assertThat(document.path("endpoint_name").asText()).as("the caller's document is left as it was").isEqualTo("churn");
    }

    @Test
    void aSnapshotReferenceIsKeptAndAMissingCodeFolderIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws IOException {
        Path remote = Files.writeString(dir.resolve("remote.yml"), "name: blue\ncode_configuration: {code: 'snapshot:abc', scoring_script: s.py}\n");
        assertThat(client.deployments().prepare(remote, UploadProgress.NONE).path("code_configuration").path("code").asText())
                .isEqualTo("snapshot:abc");

        Path missing = Files.writeString(dir.resolve("missing.yml"), "name: blue\ncode_configuration: {code: ./nowhere, scoring_script: s.py}\n");
        assertThatThrownBy(() -> client.deployments().prepare(missing, UploadProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("code_configuration.code").hasMessageContaining("nowhere");
        Path list = Files.writeString(dir.resolve("list.yml"), "- name: blue\n");
        assertThatThrownBy(() -> client.deployments().prepare(list, UploadProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("YAML mapping");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void invokeWithKeyAuthSendsThePrimaryKeyAndTheDeploymentHeader() throws IOException {
        fake.answer("GET", "/api/v1/endpoints/churn", 200, ENDPOINT)
                .answer("GET", "/api/v1/endpoints/churn/keys", 200, "{\"primary_key\":\"pk-1\",\"secondary_key\":\"sk-1\"}")
                .answer("POST", "/endpoints/churn/score", 200, "{\"predictions\":[1]}");

        ScoringResult result = client.endpoints().invoke("churn", "score", "{\"data\":[[1,2]]}".getBytes(StandardCharsets.UTF_8),
                "application/json", Optional.of("green"));

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.text()).isEqualTo("{\"predictions\":[1]}");
        FakeAtelierServer.Request scoring = fake.lastRequest();
        assertThat(scoring.header("Authorization")).contains("Bearer pk-1");
        assertThat(scoring.header(EndpointClient.DEPLOYMENT_HEADER)).contains("green");
        assertThat(scoring.header("Content-Type")).contains("application/json");
        assertThat(scoring.body()).isEqualTo("{\"data\":[[1,2]]}");
    }

    @Test
    void invokeWithTokenAuthSendsTheClientsTokenUnderTheWorkspace() {
        fake.answer("GET", "/w/team-a/api/v1/endpoints/churn", 200, ENDPOINT.replace("\"key\"", "\"aml_token\""))
                .answer("POST", "/w/team-a/endpoints/churn/v2/models/churn/infer", 200, "{\"outputs\":[]}");

        teamClient.endpoints().invoke("churn", "/v2/models/churn/infer", new byte[0], "application/json", Optional.empty());

        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_user");
        assertThat(fake.lastRequest().header(EndpointClient.DEPLOYMENT_HEADER)).isEmpty();
        assertThat(fake.requests()).extracting(FakeAtelierServer.Request::path).doesNotContain("/w/team-a/api/v1/endpoints/churn/keys");
    }

    @Test
    void aScoringErrorIsReturnedAndThrownOnlyWhenAsked() {
        fake.answer("POST", "/endpoints/churn/invocations", 400,
                "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"column 'x1' is missing\"}");

        ScoringResult result = client.endpoints().invoke("churn", "invocations", "{}".getBytes(StandardCharsets.UTF_8), "application/json",
                Optional.empty(), Credentials.token("my-key"));

        assertThat(result.status()).isEqualTo(400);
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer my-key");
        assertThatThrownBy(result::orThrow).isInstanceOfSatisfying(AtelierException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains("column 'x1' is missing");
        });
        assertThatThrownBy(() -> client.endpoints().invoke("churn", "admin", new byte[0], "application/json", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("score, invocations");
    }

    @Test
    void createFromFieldsSendsOnlyTheFieldsGiven() throws IOException {
        fake.answer("POST", "/w/team-a/api/v1/endpoints", 201, ENDPOINT);

        JsonNode created = teamClient.endpoints().create("churn", Optional.of("aml_token"), Optional.empty(), Map.of("team", "risk"));

        assertThat(created.path("name").asText()).isEqualTo("churn");
        assertThat(bodyOf(fake.lastRequest()).toString()).isEqualTo("{\"name\":\"churn\",\"auth_mode\":\"aml_token\",\"tags\":{\"team\":\"risk\"}}");
    }

    @Test
    void updateSendsOnlyWhatChangesAndRegenerateNamesTheKey() throws IOException {
        fake.answer("PATCH", "/api/v1/endpoints/churn", 200, ENDPOINT)
                .answer("POST", "/api/v1/endpoints/churn/keys/regenerate", 200, "{\"primary_key\":\"pk-2\",\"secondary_key\":\"sk-1\"}");

        client.endpoints().update("churn", EndpointUpdate.none().withTraffic(Map.of("blue", 90)).withMirrorTraffic(Map.of()));
        JsonNode patch = bodyOf(fake.lastRequest());
        assertThat(patch.toString()).isEqualTo("{\"traffic\":{\"blue\":90},\"mirror_traffic\":{}}");

        EndpointKeys keys = client.endpoints().regenerateKey("churn", EndpointKeys.KeyType.PRIMARY);
        assertThat(bodyOf(fake.lastRequest()).toString()).isEqualTo("{\"key_type\":\"primary\"}");
        assertThat(keys).isEqualTo(new EndpointKeys("pk-2", "sk-1"));
        assertThat(keys.toString()).doesNotContain("pk-2");
    }

    @Test
    void awaitSettledReturnsAFailedDeploymentWithItsReason() {
        fake.answer("GET", "/api/v1/endpoints/churn/deployments/blue", 200,
                "{\"name\":\"blue\",\"provisioning_state\":\"Failed\",\"error\":{\"message\":\"model churn/9 does not exist\"}}");
        List<String> seen = new ArrayList<>();

        JsonNode settled = client.deployments().awaitSettled("churn", "blue", Duration.ofSeconds(5),
                polled -> seen.add(polled.path("provisioning_state").asText()));

        assertThat(seen).containsExactly("Failed");
        assertThat(DeploymentClient.error(settled)).isEqualTo("model churn/9 does not exist");
    }

    @Test
    void awaitSettledGivesUpAfterTheTimeoutNamingTheState() {
        fake.answer("GET", "/api/v1/endpoints/churn/deployments/blue", 200, "{\"name\":\"blue\",\"provisioning_state\":\"Creating\"}");

        assertThatThrownBy(() -> client.deployments().awaitSettled("churn", "blue", Duration.ZERO, polled -> { }))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("still Creating");
    }

    @Test
    void logsReadTheTailAndListReadsTheEndpoints() {
        fake.answer("GET", "/api/v1/endpoints/churn/deployments/blue/logs", 200, "{\"lines\":[\"a\",\"b\"]}")
                .answer("GET", "/api/v1/endpoints", 200, "{\"endpoints\":[" + ENDPOINT + "]}");

        assertThat(client.deployments().logs("churn", "blue", 2)).containsExactly("a", "b");
        assertThat(fake.lastRequest().query()).isEqualTo("tail=2");
        assertThat(client.endpoints().list()).extracting(endpoint -> endpoint.path("name").asText()).containsExactly("churn");
        fake.answer("GET", "/api/v1/endpoints/churn/deployments", 200, "{\"deployments\":[{\"name\":\"blue\"}]}");
        assertThat(client.deployments().list("churn")).extracting(deployment -> deployment.path("name").asText()).containsExactly("blue");
        assertThat(client.endpoints().baseUri("churn")).isEqualTo(fake.url() + "/endpoints/churn");
    }
}
