package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.models.TinyModels;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The endpoint and deployment commands against the real server, on a no-code Tribuo deployment: create from YAML,
 * wait, invoke, keys, traffic, rolling update, logs, delete.
 */
class EndpointCommandRoundTripTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @TempDir
    static Path dir;

    private static Model<Label> model;

    private static final String REQUEST = """
            {"dataframe_split": {"columns": ["x0", "x1"], "data": [[0.05, 0.1], [0.9, 0.8]]}}""";

    @BeforeAll
    static void registerModel() throws IOException, InterruptedException {
        model = TinyModels.tribuoLogistic();
        Path file = dir.resolve("model.tribuo");
        model.serializeToFile(file);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(server.http().post("/api/2.0/mlflow/registered-models/create", Map.of("name", "cli-tribuo")).status()).isEqualTo(200);
        for (int version = 1; version <= 2; version++) {
            HttpJson.Response created = server.http().post("/api/2.0/mlflow/model-versions/create",
                    Map.of("name", "cli-tribuo", "source", logModel("cli-endpoints-" + version, bytes)));
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            for (int poll = 0; !server.http().get("/api/2.0/mlflow/model-versions/get?name=cli-tribuo&version=" + version).json()
                    .at("/model_version/status").asText().equals("READY"); poll++) {
                assertThat(poll).as("polls until version " + version + " is READY").isLessThan(500);
                Thread.sleep(20);
            }
        }
    }

    private static String logModel(String experiment, byte[] weights) {
        String experimentId = server.http().post("/api/2.0/mlflow/experiments/create", Map.of("name", experiment)).json()
                .path("experiment_id").asText();
        JsonNode run = server.http().post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId)).json().at("/run/info");
        String root = run.path("artifact_uri").asText().substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        upload(root + "/model/MLmodel", "artifact_path: model\nflavors:\n  tribuo:\n    data: model.tribuo\n".getBytes());
        upload(root + "/model/model.tribuo", weights);
        return "runs:/" + run.path("run_id").asText() + "/model";
    }

    private static void upload(String path, byte[] content) {
        assertThat(server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build()).status()).isEqualTo(200);
    }

    private static Cli.Result atelier(String... args) {
        return Cli.runAgainst(server.url(), args);
    }

    private static Cli.Result ok(Cli.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result;
    }

    private static String label(double x0, double x1) {
        return model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, TinyModels.FEATURES.toArray(String[]::new),
                new double[] {x0, x1})).getOutput().getLabel();
    }

    /** A scoring request sent without the CLI, as an outside client would. */
    private static HttpJson.Response score(String endpoint, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/endpoints/" + endpoint + "/invocations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST));
        if (!key.isEmpty()) {
            request.header("Authorization", "Bearer " + key);
        }
        return server.http().send(request.build());
    }

    @Test
    void createInvokeSplitUpdateAndDelete() throws IOException {
        Path endpointFile = Files.writeString(dir.resolve("endpoint.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json
                name: cli-churn
                auth_mode: key
                description: churn scores
                """);
        ok(atelier("endpoint", "create", "-f", endpointFile.toString()));
        Path blue = Files.writeString(dir.resolve("blue.yml"), """
                name: blue
                endpoint_name: cli-churn
                model: models:/cli-tribuo/1
                instance_count: 1
                """);
        Cli.Result created = ok(atelier("deployment", "create", "-f", blue.toString(), "-o", "json"));
        assertThat(HttpJson.parse(created.out()).path("provisioning_state").asText()).isEqualTo("Succeeded");
        assertThat(created.err()).contains("Deployment 'blue' of endpoint 'cli-churn'");
        Path green = Files.writeString(dir.resolve("green.yml"), "name: green\nmodel: models:/cli-tribuo/2\n");
        ok(atelier("deployment", "create", "-f", green.toString(), "--endpoint-name", "cli-churn"));

        Path request = Files.writeString(dir.resolve("req.json"), REQUEST);
        Cli.Result answer = ok(atelier("endpoint", "invoke", "cli-churn", "--request-file", request.toString(), "--path", "invocations"));
        JsonNode keys = HttpJson.parse(ok(atelier("endpoint", "keys", "cli-churn", "--output", "json")).out());
        HttpJson.Response direct = score("cli-churn", keys.path("primary_key").asText());
        assertThat(direct.status()).as(direct.text()).isEqualTo(200);
        assertThat(HttpJson.parse(answer.out())).isEqualTo(direct.json());
        assertThat(direct.json().path("predictions").findValuesAsText("label")).as("the labels the model gives in process")
                .containsExactly(label(0.05, 0.1), label(0.9, 0.8));
        assertThat(score("cli-churn", "").status()).isEqualTo(401);
        assertThat(ok(atelier("endpoint", "invoke", "cli-churn", "-r", request.toString(), "--deployment", "green", "--path",
                "invocations")).out()).contains("predictions");

        ok(atelier("endpoint", "update", "cli-churn", "--traffic", "blue=90,green=10", "--set-tag", "team=risk"));
        Cli.Result shown = ok(atelier("endpoint", "show", "cli-churn"));
        assertThat(shown.out()).contains("blue=90, green=10", "team=risk").containsPattern("green +cli-tribuo/2 +Succeeded +1 .*10%");
        assertThat(atelier("endpoint", "update", "cli-churn", "--traffic", "blue=90,green=20").exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);

        Cli.Result updated = ok(atelier("deployment", "update", "cli-churn", "blue", "--instance-count", "2", "-o", "json"));
        assertThat(HttpJson.parse(updated.out()).path("instance_count").asInt()).isEqualTo(2);
        assertThat(HttpJson.parse(updated.out()).path("provisioning_state").asText()).isEqualTo("Succeeded");
        ok(atelier("deployment", "logs", "cli-churn", "blue", "--tail", "5"));
        ok(atelier("endpoint", "logs", "cli-churn"));
        assertThat(ok(atelier("endpoint", "list")).out()).contains("cli-churn");

        ok(atelier("endpoint", "update", "cli-churn", "--traffic", "blue=100"));
        assertThat(ok(atelier("deployment", "delete", "cli-churn", "green")).out()).contains("Deleted deployment 'green'");
        assertThat(ok(atelier("endpoint", "delete", "cli-churn", "--yes")).out()).contains("Deleted endpoint 'cli-churn'.");
        Cli.Result gone = atelier("endpoint", "show", "cli-churn");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(gone.err()).contains("not found");
    }

    @Test
    void aRegeneratedKeyReplacesTheOldOneWhileTheOtherKeepsWorking() throws IOException {
        ok(atelier("endpoint", "create", "--name", "cli-keys"));
        Path file = Files.writeString(dir.resolve("keys.yml"), "name: blue\nendpoint_name: cli-keys\nmodel: models:/cli-tribuo/1\n");
        ok(atelier("deployment", "create", "-f", file.toString()));
        JsonNode before = HttpJson.parse(ok(atelier("endpoint", "keys", "cli-keys", "-o", "json")).out());

        JsonNode after = HttpJson.parse(ok(atelier("endpoint", "regenerate-key", "cli-keys", "--key-type", "primary", "-o", "json")).out());

        assertThat(after.path("primary_key").asText()).isNotEqualTo(before.path("primary_key").asText());
        assertThat(after.path("secondary_key").asText()).isEqualTo(before.path("secondary_key").asText());
        assertThat(score("cli-keys", after.path("primary_key").asText()).status()).as("the new primary key").isEqualTo(200);
        assertThat(score("cli-keys", before.path("primary_key").asText()).status()).as("the old primary key").isEqualTo(401);
        assertThat(score("cli-keys", before.path("secondary_key").asText()).status()).isEqualTo(200);
        Path request = Files.writeString(dir.resolve("keys.json"), REQUEST);
        Cli.Result withSecondary = Cli.run(Cli.environment(Map.of("ATELIER_ENDPOINT_KEY", after.path("secondary_key").asText()), ""),
                "endpoint", "invoke", "cli-keys", "-r", request.toString(), "--path", "invocations", "--url", server.url());
        assertThat(withSecondary.exitCode()).as(withSecondary.err()).isZero();
    }

    @Test
    void aScoringScriptDeploymentHasItsCodeFolderUploadedAsASnapshotAndAnswersThroughItsWorkers() throws IOException {
        ok(atelier("environment", "create", "cli-py", "--executable", "python3"));
        ok(atelier("endpoint", "create", "--name", "cli-script"));
        Path code = Files.createDirectories(dir.resolve("onlinescoring"));
        Files.writeString(code.resolve("score.py"), """
                import json, os

                def init():
                    global mlmodel
                    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "MLmodel")) as f:
                        mlmodel = f.read()

                def run(raw_data):
                    return {"echo": json.loads(raw_data), "tribuo_model": "tribuo" in mlmodel}
                """);
        Files.writeString(code.resolve("notes.tmp"), "left out");
        Files.writeString(code.resolve(".amlignore"), "*.tmp\n");
        Path file = Files.writeString(dir.resolve("script.yml"), """
                name: blue
                endpoint_name: cli-script
                model: models:/cli-tribuo/1
                code_configuration:
                  code: ./onlinescoring
                  scoring_script: score.py
                environment: cli-py
                """);

        Cli.Result created = ok(atelier("deployment", "create", "-f", file.toString(), "--no-wait", "-o", "json"));

        assertThat(created.err()).contains("Uploading 2 files");
        String reference = HttpJson.parse(created.out()).path("code_configuration").path("code").asText();
        assertThat(reference).startsWith("snapshot:");
        JsonNode snapshot = server.http().get("/api/v1/snapshots/" + reference.substring("snapshot:".length())).json();
        assertThat(snapshot.path("files").findValuesAsText("path")).containsExactly(".amlignore", "score.py");
        assertThat(ok(atelier("deployment", "show", "cli-script", "blue")).out()).contains("score.py (" + reference + ")");

        // Where Python exists, the workers start and answer through the endpoint with what run() returned.
        if (!python3OnPath() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("python3 is not on the PATH, and CI=true: .ci/run should have installed it");
        }
        assumeTrue(python3OnPath(), "python3 is not on the PATH");
        JsonNode deployment = server.http().get("/api/v1/endpoints/cli-script/deployments/blue").json();
        for (long deadline = System.nanoTime() + 120_000_000_000L; deployment.path("provisioning_state").asText().matches("Creating|Updating")
                && System.nanoTime() < deadline; deployment = server.http().get("/api/v1/endpoints/cli-script/deployments/blue").json()) {
            sleep();
        }
        assertThat(deployment.path("provisioning_state").asText()).as(deployment.toString()).isEqualTo("Succeeded");
        Path request = Files.writeString(dir.resolve("script-request.json"), "{\"data\": [[1, 2]]}");
        Cli.Result scored = ok(atelier("endpoint", "invoke", "cli-script", "-r", request.toString(), "--path", "score"));
        assertThat(HttpJson.parse(scored.out()).path("echo").path("data").get(0).get(1).asInt()).isEqualTo(2);
        assertThat(HttpJson.parse(scored.out()).path("tribuo_model").asBoolean()).isTrue();
        Cli.Result invoked = ok(atelier("endpoint", "invoke", "cli-script", "-r", request.toString(), "--path", "invocations"));
        assertThat(HttpJson.parse(invoked.out()).path("predictions").path("tribuo_model").asBoolean()).isTrue();
    }

    private static boolean python3OnPath() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, "python3")));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void driftNeedsAReferenceAndLoggedRequestsAndListsStoredReports() throws IOException {
        ok(atelier("endpoint", "create", "--name", "cli-drift"));
        Cli.Result noReference = atelier("endpoint", "drift", "cli-drift");
        assertThat(noReference.exitCode()).isEqualTo(2);
        assertThat(noReference.err()).contains("--reference");
        Cli.Result unknown = atelier("endpoint", "drift", "cli-drift", "--reference", "data:no-such-table:1");
        assertThat(unknown.exitCode()).as(unknown.out()).isEqualTo(1);
        assertThat(unknown.err()).contains("no-such-table");
        Cli.Result listed = ok(atelier("endpoint", "drift", "cli-drift", "--list", "-o", "json"));
        assertThat(HttpJson.parse(listed.out()).isArray()).isTrue();
        assertThat(HttpJson.parse(listed.out())).isEmpty();
    }

    @Test
    void inputThatDoesNotFitTheSignatureExitsAsARefusalNamingTheProblem() throws IOException {
        ok(atelier("endpoint", "create", "--name", "cli-strict", "--auth-mode", "key"));
        Path file = Files.writeString(dir.resolve("strict.yml"), "name: only\nendpoint_name: cli-strict\nmodel: models:/cli-tribuo/1\n");
        ok(atelier("deployment", "create", "-f", file.toString()));
        Path request = Files.writeString(dir.resolve("bad.json"), """
                {"dataframe_split": {"columns": ["x0"], "data": [[0.05]]}}""");

        Cli.Result refused = atelier("endpoint", "invoke", "cli-strict", "-r", request.toString(), "--path", "invocations");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("x1");
    }

    @Test
    void aDeploymentOfAMissingModelIsRefusedOrFailsWithItsReason() throws IOException {
        ok(atelier("endpoint", "create", "--name", "cli-missing"));
        Path file = Files.writeString(dir.resolve("missing.yml"), "name: blue\nmodel: models:/no-such-model/1\n");

        Cli.Result result = atelier("deployment", "create", "-f", file.toString(), "-e", "cli-missing");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(result.err()).contains("no-such-model");
    }
}
