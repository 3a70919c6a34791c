package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.serving.protocol.AzureRequest;
import dev.atelier.server.serving.protocol.AzureScore;
import dev.atelier.server.serving.protocol.InferRequest;
import dev.atelier.server.serving.protocol.MlflowInvocations;
import dev.atelier.server.serving.protocol.MlflowRequest;
import dev.atelier.server.serving.protocol.OpenInference;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each scoring protocol against each no-code flavor over real HTTP: the answer equals what the same
 * model loaded in-process answers through the same codec, and bad input gets a 4xx naming the problem.
 */
class EndpointProtocolsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;
    private static final HttpJson http = server.http();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROWS = "[[0.1, 0.9], [0.9, 0.1], [0.5, 0.45], [0.25, 0.8]]";
    private static final Map<String, ModelRuntime> runtimes = new LinkedHashMap<>();
    private static final Map<String, String> keys = new LinkedHashMap<>();

    @BeforeAll
    static void deployEachFlavor() throws Exception {
        ServingFixture serving = new ServingFixture(http, scratch);
        Map<String, Path> folders = Map.of("onnx", serving.onnxFolder(), "tribuo", serving.tribuoFolder(), "xgboost", serving.xgboostFolder());
        for (var entry : folders.entrySet()) {
            String flavor = entry.getKey();
            serving.register("proto-" + flavor, entry.getValue());
            serving.createEndpoint("name: ep-" + flavor + "\n");
            serving.createDeployment("ep-" + flavor, "name: main\nmodel: models:/proto-" + flavor + "/1\n");
            JsonNode deployment = serving.awaitProvisioned("ep-" + flavor, "main");
            assertThat(deployment.path("provisioning_state").asText()).as(deployment.toString()).isEqualTo("Succeeded");
            runtimes.put(flavor, ModelRuntimes.standard().load(entry.getValue()));
            keys.put(flavor, serving.primaryKey("ep-" + flavor));
        }
    }

    @AfterAll
    static void closeRuntimes() {
        runtimes.values().forEach(ModelRuntime::close);
    }

    @Test
    void mlflowInvocationsFormatsAnswerAsTheModelInProcess() throws Exception {
        List<String> bodies = List.of(
                "{\"dataframe_split\": {\"columns\": [\"x0\", \"x1\"], \"data\": " + ROWS + "}}",
                "{\"dataframe_records\": [{\"x0\": 0.1, \"x1\": 0.9}, {\"x0\": 0.9, \"x1\": 0.1}]}",
                "{\"instances\": " + ROWS + "}",
                "{\"inputs\": " + ROWS + "}");
        for (String flavor : runtimes.keySet()) {
            for (String body : bodies) {
                ModelRuntime runtime = runtimes.get(flavor);
                MlflowRequest request = MlflowInvocations.parse(bytes(body), "application/json", runtime.signature());
                JsonNode expected = JSON.readTree(MlflowInvocations.writePredictions(runtime.predict(request.input())));
                HttpJson.Response answer = score(flavor, "/invocations", "application/json", body);
                assertThat(answer.status()).as(flavor + " " + body + ": " + answer.text()).isEqualTo(200);
                assertThat(answer.json()).as(flavor + " " + body).isEqualTo(expected);
            }
            HttpJson.Response csv = score(flavor, "/invocations", "text/csv", "x0,x1\n0.1,0.9\n0.9,0.1\n");
            assertThat(csv.status()).as(flavor + " csv: " + csv.text()).isEqualTo(200);
            assertThat(csv.json().path("predictions").size()).isEqualTo(2);
        }
    }

    @Test
    void azureScoreAnswersAsTheModelInProcess() throws Exception {
        String body = "{\"data\": " + ROWS + "}";
        for (String flavor : runtimes.keySet()) {
            ModelRuntime runtime = runtimes.get(flavor);
            AzureRequest request = AzureScore.parse(bytes(body), "application/json", runtime.signature());
            JsonNode expected = JSON.readTree(AzureScore.writeAnswer(request, runtime.predict(request.input())));
            HttpJson.Response answer = score(flavor, "/score", "application/json", body);
            assertThat(answer.status()).as(flavor + ": " + answer.text()).isEqualTo(200);
            assertThat(answer.json()).as(flavor).isEqualTo(expected);
        }
    }

    @Test
    void openInferenceInferAndMetadataAnswerAsTheModelInProcess() throws Exception {
        for (String flavor : runtimes.keySet()) {
            ModelRuntime runtime = runtimes.get(flavor);
            String input = flavor.equals("onnx") ? inputName(runtime.signature()) : "input-0";
            String body = "{\"id\": \"r1\", \"inputs\": [{\"name\": \"" + input + "\", \"shape\": [4, 2], \"datatype\": \"FP32\", "
                    + "\"data\": [0.1, 0.9, 0.9, 0.1, 0.5, 0.45, 0.25, 0.8]}]}";
            InferRequest request = OpenInference.parseInfer(bytes(body), runtime.signature());
            JsonNode expected = JSON.readTree(OpenInference.writeInferResponse("proto-" + flavor, Optional.of("1"), request,
                    runtime.predict(request.input())));
            HttpJson.Response answer = score(flavor, "/v2/models/proto-" + flavor + "/infer", "application/json", body);
            assertThat(answer.status()).as(flavor + ": " + answer.text()).isEqualTo(200);
            assertThat(answer.json().path("outputs")).as(flavor).isEqualTo(expected.path("outputs"));
            assertThat(answer.json().path("id").asText()).isEqualTo("r1");

            HttpJson.Response metadata = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/endpoints/ep-"
                    + flavor + "/v2/models/ep-" + flavor)).header("Authorization", "Bearer " + keys.get(flavor)).GET().build());
            assertThat(metadata.status()).as(metadata.text()).isEqualTo(200);
            assertThat(metadata.json().path("versions").get(0).asText()).isEqualTo("1");
            assertThat(metadata.json().path("inputs")).isNotEmpty();
            assertThat(http.get("/endpoints/ep-" + flavor + "/v2/health/ready").status()).isEqualTo(200);
            assertThat(http.get("/endpoints/ep-" + flavor + "/ping").status()).isEqualTo(200);
        }
        HttpJson.Response unknown = score("onnx", "/v2/models/other-model/infer", "application/json", "{\"inputs\": []}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).contains("other-model");
    }

    @Test
    void inputThatDoesNotFitTheSignatureIsA400NamingTheProblem() {
        HttpJson.Response missingColumn = score("xgboost", "/invocations", "application/json",
                "{\"dataframe_split\": {\"columns\": [\"x0\"], \"data\": [[0.1]]}}");
        assertThat(missingColumn.status()).as(missingColumn.text()).isEqualTo(400);
        assertThat(missingColumn.json().path("message").asText()).contains("x1");
        assertThat(missingColumn.json().path("error_code").asText()).isEqualTo("BAD_REQUEST");

        HttpJson.Response wrongType = score("xgboost", "/invocations", "application/json",
                "{\"dataframe_records\": [{\"x0\": \"high\", \"x1\": 0.2}]}");
        assertThat(wrongType.status()).as(wrongType.text()).isEqualTo(400);
        assertThat(wrongType.json().path("message").asText()).contains("x0");

        HttpJson.Response wrongShape = score("onnx", "/invocations", "application/json", "{\"inputs\": [[0.1, 0.9, 0.3]]}");
        assertThat(wrongShape.status()).as(wrongShape.text()).isEqualTo(400);

        HttpJson.Response twoFormats = score("onnx", "/invocations", "application/json", "{\"inputs\": [[0.1, 0.9]], \"instances\": [[0.1, 0.9]]}");
        assertThat(twoFormats.status()).as(twoFormats.text()).isEqualTo(400);

        HttpJson.Response notJson = score("onnx", "/score", "application/json", "{not json");
        assertThat(notJson.status()).as(notJson.text()).isEqualTo(400);
        assertThat(notJson.json().path("request_id").asText()).isNotBlank();

        HttpJson.Response badTensor = score("onnx", "/v2/models/proto-onnx/infer", "application/json",
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}");
        assertThat(badTensor.status()).as(badTensor.text()).isEqualTo(400);
        assertThat(badTensor.json().path("error").asText()).isNotBlank();
    }

    @Test
    void aPayloadOverTheDeploymentsLimitIsA413() {
        new ServingFixture(http, scratch).createDeployment("ep-onnx", "name: tiny\nmodel: models:/proto-onnx/1\n"
                + "request_settings: {max_payload_bytes: 64}\n");
        new ServingFixture(http, scratch).awaitProvisioned("ep-onnx", "tiny");
        HttpJson.Response large = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url()
                        + "/endpoints/ep-onnx/invocations")).header("Authorization", "Bearer " + keys.get("onnx"))
                .header("Content-Type", "application/json").header("azureml-model-deployment", "tiny")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"inputs\": " + ROWS + ", \"padding\": \"" + "x".repeat(100) + "\"}"))
                .build());
        assertThat(large.status()).as(large.text()).isEqualTo(413);
        assertThat(large.json().path("message").asText()).contains("max_payload_bytes");
    }

    private static String inputName(ModelSignature signature) {
        return ((dev.atelier.api.mlmodel.TensorSpec) signature.inputs().orElseThrow().specs().getFirst()).name().orElseThrow();
    }

    private static HttpJson.Response score(String flavor, String path, String contentType, String body) {
        return new ServingFixture(http, scratch).score("ep-" + flavor, path, keys.get(flavor), contentType, body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
