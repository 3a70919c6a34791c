package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.FakeAtelierServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint and deployment commands against a fake server: what they send, how they print, and their usage
 * errors (EndpointCommandRoundTripTest runs them against the real server).
 */
class ServingCommandsTest extends FakeServerCommandTest {
    private static final String BLUE = """
            {"name":"blue","endpoint_name":"churn","model":"models:/churn/1","model_version":{"name":"churn","version":"1"},
             "instance_count":1,"compute":"local","provisioning_state":"Succeeded","created_at":1700000000000}""";
    private static final String ENDPOINT = """
            {"name":"churn","description":"churn model","auth_mode":"key","scoring_uri":"http://h/endpoints/churn",
             "traffic":{"blue":100},"mirror_traffic":{"green":10},"tags":{"team":"risk"},"provisioning_state":"Succeeded",
             "created_at":"2026-11-27T10:00:00Z","deployments":[%s, %s]}""".formatted(BLUE,
            BLUE.replace("\"blue\"", "\"green\"").replace("churn/1", "churn/2").replace("\"1\"", "\"2\""));

    @TempDir
    Path dir;

    @Test
    void createFromAFileLetsOptionsOverrideIt() throws IOException {
        Path file = Files.writeString(dir.resolve("endpoint.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json
                name: from-file
                auth_mode: aml_token
                tags: {team: risk}
                """);
        fake.answer("POST", "/w/team-a/api/v1/endpoints", 201, ENDPOINT);

        Cli.Result created = atelier("endpoint", "create", "-f", file.toString(), "--name", "churn", "--auth-mode", "KEY",
                "--set-tag", "owner=ada", "-w", "team-a");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created endpoint 'churn' (auth mode key): http://h/endpoints/churn");
        assertThat(lastBody().toString()).isEqualTo("{\"name\":\"churn\",\"auth_mode\":\"key\",\"tags\":{\"team\":\"risk\",\"owner\":\"ada\"}}");
    }

    @Test
    void createNeedsAFileOrAName() {
        Cli.Result result = atelier("endpoint", "create", "--auth-mode", "key");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Give --file or --name");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void showPrintsTheTrafficAndEachDeploymentsShare() {
        fake.answer("GET", "/api/v1/endpoints/churn", 200, ENDPOINT);

        Cli.Result shown = atelier("endpoint", "show", "churn");

        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Scoring URI:     http://h/endpoints/churn", "Traffic:         blue=100",
                "Mirror traffic:  green=10", "Tags:            team=risk", "Deployments:");
        assertThat(shown.out()).containsPattern("blue +churn/1 +Succeeded +1 +local +100% +-")
                .containsPattern("green +churn/2 +Succeeded +1 +local +0% +10%");
        assertThat(json(atelier("endpoint", "show", "churn", "-o", "json").out()).path("deployments").size()).isEqualTo(2);
    }

    @Test
    void updateSendsTheSplitAndMergesTagsWithTheEndpointsOwn() {
        fake.answer("GET", "/api/v1/endpoints/churn", 200, ENDPOINT).answer("PATCH", "/api/v1/endpoints/churn", 200, ENDPOINT);

        Cli.Result updated = atelier("endpoint", "update", "churn", "--traffic", "blue=90,green=10", "--mirror-traffic", "green=0",
                "--set-tag", "stage=prod", "--remove-tag", "team");

        assertThat(updated.exitCode()).as(updated.err()).isZero();
        assertThat(lastBody().toString())
                .isEqualTo("{\"tags\":{\"stage\":\"prod\"},\"traffic\":{\"blue\":90,\"green\":10},\"mirror_traffic\":{\"green\":0}}");
        assertThat(updated.out()).startsWith("Updated endpoint 'churn'");
    }

    @Test
    void updateUsageErrorsSendNothing() {
        assertThat(atelier("endpoint", "update", "churn").err()).contains("Nothing to change");
        Cli.Result badSplit = atelier("endpoint", "update", "churn", "--traffic", "blue:90");
        assertThat(badSplit.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSplit.err()).contains("--traffic").contains("blue=90,green=10");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void deleteAsksFirstAndNeedsYesWithoutATerminal() {
        fake.answer("GET", "/api/v1/endpoints/churn", 200, ENDPOINT).answer("DELETE", "/api/v1/endpoints/churn", 200, "{}");

        Cli.Result refused = atelier("endpoint", "delete", "churn");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("--yes");
        Cli.Result kept = withTerminalAnswer("n", "endpoint", "delete", "churn");
        assertThat(kept.out()).contains("Kept endpoint 'churn'.");
        assertThat(fake.requests()).extracting(FakeAtelierServer.Request::method).doesNotContain("DELETE");

        Cli.Result confirmed = withTerminalAnswer("y", "endpoint", "delete", "churn");
        assertThat(confirmed.out()).contains("Deleted endpoint 'churn'.");
        assertThat(atelier("endpoint", "delete", "churn", "--yes").exitCode()).isZero();
        assertThat(fake.requests()).extracting(FakeAtelierServer.Request::method).filteredOn("DELETE"::equals).hasSize(2);
    }

    @Test
    void keysPrintAsJsonAndRegenerateNamesTheKeyType() {
        fake.answer("GET", "/api/v1/endpoints/churn/keys", 200, "{\"primary_key\":\"pk\",\"secondary_key\":\"sk\"}")
                .answer("POST", "/api/v1/endpoints/churn/keys/regenerate", 200, "{\"primary_key\":\"pk\",\"secondary_key\":\"sk2\"}");

        JsonNode keys = json(atelier("endpoint", "keys", "churn", "--output", "json").out());
        assertThat(keys.path("primary_key").asText()).isEqualTo("pk");
        assertThat(keys.path("secondary_key").asText()).isEqualTo("sk");
        assertThat(atelier("endpoint", "keys", "churn").out()).contains("Primary key:    pk");

        Cli.Result regenerated = atelier("endpoint", "regenerate-key", "churn", "--key-type", "secondary");
        assertThat(regenerated.out()).contains("Regenerated the secondary key of endpoint 'churn'").doesNotContain("sk2");
        assertThat(lastBody().toString()).isEqualTo("{\"key_type\":\"secondary\"}");
        Cli.Result wrong = atelier("endpoint", "regenerate-key", "churn", "--key-type", "tertiary");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("expected primary or secondary");
    }

    @Test
    void invokePrintsTheAnswerAndAnErrorAnswerExitsAsARefusal() throws IOException {
        Path request = Files.writeString(dir.resolve("req.json"), "{\"dataframe_split\":{\"columns\":[\"x0\"],\"data\":[[1.0]]}}");
        fake.answer("GET", "/api/v1/endpoints/churn", 200, ENDPOINT)
                .answer("GET", "/api/v1/endpoints/churn/keys", 200, "{\"primary_key\":\"pk\",\"secondary_key\":\"sk\"}")
                .answer("POST", "/endpoints/churn/invocations", 200, "{\"predictions\":[0.25]}");

        Cli.Result answered = atelier("endpoint", "invoke", "churn", "--request-file", request.toString(), "--path", "invocations",
                "--deployment", "green");
        assertThat(answered.exitCode()).as(answered.err()).isZero();
        assertThat(answered.out()).isEqualTo("{\"predictions\":[0.25]}\n");
        assertThat(fake.lastRequest().header("azureml-model-deployment")).contains("green");
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer pk");

        Cli.Result withKey = atelierWith(variables("ATELIER_ENDPOINT_KEY", "sk"), "", "endpoint", "invoke", "churn", "-r",
                request.toString(), "--path", "invocations");
        assertThat(withKey.exitCode()).as(withKey.err()).isZero();
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer sk");

        fake.answer("POST", "/endpoints/churn/score", 400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"column 'x1' is missing\"}");
        Cli.Result refused = atelier("endpoint", "invoke", "churn", "--request-file", request.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("invalid request: column 'x1' is missing");

        Cli.Result badPath = atelier("endpoint", "invoke", "churn", "--request-file", request.toString(), "--path", "admin");
        assertThat(badPath.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPath.err()).contains("'--path'");
    }

    @Test
    void deploymentCreateUploadsTheCodeWaitsAndPrintsTheDeployment() throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/score.py"), "def init():\n    pass\n");
        Path file = Files.writeString(dir.resolve("blue.yml"), """
                name: blue
                endpoint_name: churn
                model: models:/churn/1
                code_configuration: {code: ./src, scoring_script: score.py}
                """);
        fake.answer("POST", "/api/v1/snapshots/missing-blobs", 200, "{\"missing\":[]}")
                .answer("POST", "/api/v1/snapshots", 201, "{\"snapshot_id\":\"abc\"}")
                .answer("POST", "/api/v1/endpoints/other/deployments", 201, BLUE.replace("Succeeded", "Creating"))
                .answer("GET", "/api/v1/endpoints/other/deployments/blue", 200, BLUE);

        Cli.Result created = atelier("deployment", "create", "-f", file.toString(), "--endpoint-name", "other");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.err()).contains("nothing to upload", "Deployment 'blue' of endpoint 'other': Succeeded");
        assertThat(created.out()).contains("Created deployment 'blue' of endpoint 'other' (Succeeded, model churn/1, 1 instance(s)).");
        JsonNode sent = json(fake.requests().stream().filter(r -> r.path().endsWith("/deployments")).findFirst().orElseThrow().body());
        assertThat(sent.path("code_configuration").path("code").asText()).isEqualTo("snapshot:abc");
        assertThat(sent.has("endpoint_name")).isFalse();
    }

    @Test
    void aFailedDeploymentExitsAsARefusalWithItsReason() throws IOException {
        Path file = Files.writeString(dir.resolve("blue.yml"), "name: blue\nmodel: models:/churn/9\n");
        fake.answer("POST", "/api/v1/endpoints/churn/deployments", 201, BLUE.replace("Succeeded", "Creating"))
                .answer("GET", "/api/v1/endpoints/churn/deployments/blue", 200,
                        BLUE.replace("\"Succeeded\"", "\"Failed\",\"error\":\"model churn version 9 does not exist\""));

        Cli.Result failed = atelier("deployment", "create", "-f", file.toString(), "-e", "churn");

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(failed.err()).contains("Deployment 'blue' of endpoint 'churn' failed: model churn version 9 does not exist");
        Cli.Result noEndpoint = atelier("deployment", "create", "-f", file.toString());
        assertThat(noEndpoint.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noEndpoint.err()).contains("endpoint_name");
    }

    @Test
    void updateFromOptionsSendsTheChangesAndNoWaitReturnsAtOnce() {
        fake.answer("PATCH", "/api/v1/endpoints/churn/deployments/blue", 200, BLUE.replace("Succeeded", "Updating"));

        Cli.Result updated = atelier("deployment", "update", "churn", "blue", "--instance-count", "3", "--model", "models:/churn/2",
                "--request-timeout-ms", "500", "--no-wait");

        assertThat(updated.exitCode()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("Updated deployment 'blue' of endpoint 'churn' (Updating");
        assertThat(lastBody().toString())
                .isEqualTo("{\"instance_count\":3,\"model\":\"models:/churn/2\",\"request_settings\":{\"request_timeout_ms\":500}}");
        assertThat(fake.requests()).hasSize(1);
        assertThat(atelier("deployment", "update", "churn", "blue").err()).contains("Nothing to change");
        assertThat(atelier("deployment", "update", "--instance-count", "2").err()).contains("Give --file");
    }

    @Test
    void logsAndDeleteOfADeployment() {
        fake.answer("GET", "/api/v1/endpoints/churn/deployments/blue/logs", 200, "{\"lines\":[\"started\",\"ready\"]}")
                .answer("GET", "/api/v1/endpoints/churn/deployments/green/logs", 200, "{\"lines\":[\"loading\"]}")
                .answer("GET", "/api/v1/endpoints/churn", 200, ENDPOINT)
                .answer("DELETE", "/api/v1/endpoints/churn/deployments/green", 200, "{}");

        assertThat(atelier("deployment", "logs", "churn", "blue", "--tail", "2").out()).isEqualTo("started\nready\n");
        assertThat(fake.lastRequest().query()).isEqualTo("tail=2");
        assertThat(atelier("endpoint", "logs", "churn").out()).isEqualTo("[blue] started\n[blue] ready\n[green] loading\n");
        assertThat(atelier("endpoint", "logs", "churn", "--deployment", "green").out()).isEqualTo("loading\n");
        assertThat(atelier("deployment", "delete", "churn", "green").out()).contains("Deleted deployment 'green' of endpoint 'churn'.");
        assertThat(atelier("deployment", "logs", "churn", "blue", "--tail", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    /** Runs a command whose terminal answers {@code answer} to every question. */
    private Cli.Result withTerminalAnswer(String answer, String... args) {
        Terminal terminal = new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                return Optional.of(answer);
            }

            @Override
            public Optional<char[]> readPassword(String prompt) {
                return Optional.empty();
            }
        };
        String[] withUrl = Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = fake.url();
        return Cli.run(new CliEnvironment(variables("ATELIER_TOKEN", "atl_test"), new ByteArrayInputStream(new byte[0]), terminal, "test-host"),
                withUrl);
    }
}
