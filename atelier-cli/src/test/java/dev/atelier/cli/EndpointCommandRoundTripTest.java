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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint and deployment commands against the real server, on a no-code Tribuo deployment: create from YAML,
 * wait, invoke, keys, traffic, rolling update, logs, delete.
 */
class EndpointCommandRoundTripTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @TempDir
    static Path dir;

    private static final String REQUEST = """
            {"dataframe_split": {"columns": ["x0", "x1"], "data": [[0.05, 0.1], [0.9, 0.8]]}}""";

    @BeforeAll
    static void registerModel() throws IOException, InterruptedException {
        Model<Label> model = TinyModels.tribuoLogistic();
        Path file = dir.resolve("model.tribuo");
        model.serializeToFile(file);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(server.http().post("/api/2.0/mlflow/registered-models/create", Map.of("name", "cli-tribuo")).status()).isEqualTo(200);
        for (int version = 1; version <= 2; version++) {
            HttpJson.Response created = server.http().post("/api/2.0/mlflow/model-versions/create",
                    Map.of("name", "cli-tribuo", "source", logModel("cli-endpoints-" + version, bytes)));
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            while (!server.http().get("/api/2.0/mlflow/model-versions/get?name=cli-tribuo&version=" + version).json()
                    .at("/model_version/status").asText().equals("READY")) {
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
        assertThat(direct.json().path("predictions").size()).isEqualTo(2);
        assertThat(score("cli-churn", "").status()).isEqualTo(401);
        assertThat(ok(atelier("endpoint", "invoke", "cli-churn", "-r", request.toString(), "--deployment", "green", "--path",
                "invocations")).out()).contains("predictions");

        ok(atelier("endpoint", "regenerate-key", "cli-churn", "--key-type", "primary"));
        assertThat(score("cli-churn", keys.path("primary_key").asText()).status()).isEqualTo(401);
        assertThat(score("cli-churn", keys.path("secondary_key").asText()).status()).isEqualTo(200);

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
