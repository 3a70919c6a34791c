package dev.atelier.server.jobs;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every malformed submission is refused with a 4xx naming the problem, before any job, run or process exists. */
class JobBadInputTest {
    private static TestServer server;
    private static JobsFixture jobs;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-jobs-bad"))
                .withJobs(JobsConfig.DEFAULTS.withSnapshotMaxBytes(1000)));
        jobs = new JobsFixture(server.http());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingWasQueued() {
        assertThat(server.http().get("/api/v1/jobs").json().path("jobs")).isEmpty();
        assertThat(server.http().post("/api/2.0/mlflow/runs/search", Map.of("experiment_ids", List.of("0"))).json()
                .path("runs")).isEmpty();
    }

    @Test
    void invalidYamlNamesTheLine() {
        HttpJson.Response response = jobs.submitYaml("type: command\ncommand: [unclosed\n  name: x\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).contains("Invalid YAML", "line");
    }

    @Test
    void documentThatIsNotAMappingIsRefused() {
        HttpJson.Response response = jobs.submitYaml("- just\n- a list\n");
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void unknownFieldIsRefusedNotIgnored() {
        HttpJson.Response response = jobs.submitYaml("command: echo hi\ncomand_typo: x\n");
        assertThat(response.json().path("message").asText()).contains("Unknown field 'comand_typo'");
    }

    @Test
    void missingCommandIsRefused() {
        assertThat(jobs.submitYaml("type: command\nname: x\n").json().path("message").asText())
                .contains("required field 'command'");
    }

    @Test
    void unknownComputeIsRefused() {
        HttpJson.Response response = jobs.submitYaml("command: echo hi\ncompute: azureml:gpu-cluster\n");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("message").asText()).contains("Unknown compute 'gpu-cluster'");
    }

    @Test
    void unknownEnvironmentIsRefused() {
        HttpJson.Response response = jobs.submitYaml("command: echo hi\nenvironment: azureml:pytorch:3\n");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("message").asText()).contains("Unknown environment 'azureml:pytorch:3'");
    }

    @Test
    void unboundReferenceIsRefused() {
        HttpJson.Response response = jobs.submitYaml("command: python train.py --lr ${{inputs.lr}} --out ${{outputs.model}}\n"
                + "inputs: {rate: 0.1}\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).contains("Unbound reference '${{inputs.lr}}'");
    }

    @Test
    void searchSpaceReferenceOutsideASweepIsRefused() {
        assertThat(jobs.submitYaml("command: echo ${{search_space.lr}}\n").json().path("message").asText())
                .contains("only a sweep's trial has a search space");
    }

    @Test
    void malformedBindingIsRefused() {
        assertThat(jobs.submitYaml("command: echo ${{ jobs.x }}\n").json().path("message").asText()).contains("Invalid binding");
    }

    @Test
    void localCodePathNeedsAnUpload() {
        assertThat(jobs.submitYaml("command: echo hi\ncode: ./src\n").json().path("message").asText())
                .contains("cannot read local paths");
    }

    @Test
    void unknownSnapshotIsRefused() {
        HttpJson.Response response = jobs.submitYaml("command: echo hi\ncode: snapshot:" + "a".repeat(64) + "\n");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("message").asText()).contains("Unknown snapshot in 'code'");
    }

    @Test
    void unknownSecretIsRefused() {
        assertThat(jobs.submitYaml("command: echo hi\nsecrets: {TOKEN: nope}\n").json().path("message").asText())
                .contains("Unknown secret 'nope'");
    }

    @Test
    void codeFolderOverTheLimitIsRefusedBeforeUpload() {
        HttpJson.Response response = server.http().post("/api/v1/snapshots/missing-blobs", Map.of("files", List.of(
                Map.of("path", "a.bin", "sha256", "a".repeat(64), "size", 600),
                Map.of("path", "b.bin", "sha256", "b".repeat(64), "size", 600))));
        assertThat(response.errorCode()).isEqualTo("RESOURCE_LIMIT_EXCEEDED");
        assertThat(response.json().path("message").asText()).contains("1200 bytes", "snapshot limit of 1000 bytes", ".amlignore");
    }

    @Test
    void pathsEscapingTheSnapshotAreRefused() {
        for (String path : List.of("../secret", "/etc/passwd", "a/../../b", "a//b", "./a", "C:/x", "a\\b")) {
            HttpJson.Response response = server.http().post("/api/v1/snapshots/missing-blobs", Map.of("files", List.of(
                    Map.of("path", path, "sha256", "a".repeat(64), "size", 1))));
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.json().path("message").asText()).as(path).contains("nothing may escape the snapshot");
        }
    }

    @Test
    void blobWhoseContentDoesNotMatchItsHashIsRefused() {
        HttpJson.Response response = server.http().send("PUT", "/api/v1/snapshots/blobs/" + "c".repeat(64), "not that content");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).contains("hashes to");
    }

    @Test
    void badSweepsAreRefused() {
        String base = "type: sweep\ntrial:\n  command: echo ${{search_space.lr}}\nobjective: {primary_metric: acc, goal: maximize}\n"
                + "limits: {max_total_trials: 4}\n";
        assertThat(jobs.submitYaml(base + "search_space: {lr: {type: uniform, min_value: 0.1, max_value: 0.01}}\n")
                .json().path("message").asText()).contains("min_value must be below max_value");
        assertThat(jobs.submitYaml(base + "sampling_algorithm: grid\nsearch_space: {lr: {type: uniform, min_value: 0, max_value: 1}}\n")
                .json().path("message").asText()).contains("grid sampling supports only choice");
        assertThat(jobs.submitYaml(base + "search_space: {lr: {type: gaussian}}\n").json().path("message").asText())
                .contains("Invalid value 'gaussian'");
        assertThat(jobs.submitYaml(base + "search_space: {rate: {type: choice, values: [1]}}\n").json().path("message").asText())
                .contains("Unbound reference '${{search_space.lr}}'");
        assertThat(jobs.submitYaml(base + "search_space: {lr: {type: choice, values: [1]}}\nearly_termination: {type: bandit}\n")
                .json().path("message").asText()).contains("slack_factor");
    }
}
