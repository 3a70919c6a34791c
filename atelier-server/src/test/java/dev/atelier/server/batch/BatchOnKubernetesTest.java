package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import dev.atelier.server.http.Json;
import dev.atelier.server.jobs.JobsConfig;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scoring-script batch deployment on a Kubernetes compute target, against fabric8's mock API server: invoking it
 * creates one Kubernetes Job per instance whose init container fetches the code (snapshot, driver, plan), the input
 * and the model as zips from the server's batch-jobs routes; the test runs the driver on what those routes answer (as
 * the pod would, with python3 on this host) and serves its output as the pod's log, and the batch job ends Completed with
 * the script's rows registered as its output.
 */
@EnableKubernetesMockClient(crud = true)
class BatchOnKubernetesTest {
    private static final String NAMESPACE = "ml-batch";
    private static final String PUBLIC_URL = "http://atelier.example:5000";
    private static final Duration WAIT = Duration.ofSeconds(60);
    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String SCRIPT = """
            import os
            def init():
                global model_files
                model_files = sorted(os.listdir(os.environ["AZUREML_MODEL_DIR"]))
            def run(mini_batch):
                return [[os.path.basename(path), len(open(path).read().splitlines()), "MLmodel" in model_files] for path in mini_batch]
            """;

    @Test
    void scriptDeploymentRunsAsKubernetesJobsFetchingItsFilesFromTheServer(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kubeconfig"), KubernetesFixtures.kubeconfigText(client, NAMESPACE));
        try (TestServer atelier = TestServer.start(ServerConfig.forTests(dir.resolve("data"))
                .withJobs(JobsConfig.DEFAULTS.withPublicUrl(PUBLIC_URL))
                .withConnections(ConnectionsConfig.DEFAULTS.withKubeconfigDir(dir)))) {
            HttpJson http = atelier.http();
            BatchFixture batch = new BatchFixture(http);
            ServingFixture serving = new ServingFixture(http, Files.createDirectories(dir.resolve("scratch")));
            assertThat(serving.register("k8s-model", serving.onnxFolder())).isEqualTo("1");
            http.post("/api/v1/environments", Map.of("name", "py", "kind", "image", "image", "python:3.11-slim"));
            http.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes",
                    "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig")));
            Map<String, String> files = new LinkedHashMap<>();
            files.put("a.txt", "1\n");
            files.put("b.txt", "1\n2\n");
            files.put("sub/c.txt", "1\n2\n3\n");
            batch.uploadFolder("k8s-texts", files);
            batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: onk8s\n"));
            JsonNode deployment = batch.created(batch.postYaml("/api/v1/batch-endpoints/onk8s/deployments", """
                    name: script
                    type: model
                    model: azureml:k8s-model:1
                    code_configuration: {code: "snapshot:%s", scoring_script: score.py}
                    environment: azureml:py:1
                    compute: azureml:k8s
                    settings: {mini_batch_size: 2, output_file_name: scores.csv}
                    """.formatted(serving.snapshot("score.py", SCRIPT))));
            assertThat(deployment.path("compute").asText()).isEqualTo("k8s");

            String jobName = batch.invoke("onk8s", Map.of("input", Map.of("path", "azureml:k8s-texts@latest"))).path("name").asText();
            Job created = KubernetesFixtures.awaitJob(client, NAMESPACE, WAIT, () -> http.get("/api/v1/jobs/" + jobName).text());
            Container fetch = created.getSpec().getTemplate().getSpec().getInitContainers().getFirst();
            String staged = "/api/v1/batch-jobs/" + jobName + "/staged/";
            assertThat(String.join(" ", fetch.getCommand())).contains(PUBLIC_URL + staged + "code-0/zip",
                    PUBLIC_URL + staged + "data/zip", PUBLIC_URL + staged + "model/zip");
            Container main = created.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(main.getImage()).isEqualTo("python:3.11-slim");

            // What the init container would unpack, fetched from the routes it names.
            Path code = unzip(http, staged + "code-0/zip", dir.resolve("pod/code"));
            Path data = unzip(http, staged + "data/zip", dir.resolve("pod/inputs/data"));
            Path model = unzip(http, staged + "model/zip", dir.resolve("pod/inputs/model"));
            assertThat(Files.readString(data.resolve("sub/c.txt"))).isEqualTo("1\n2\n3\n");
            assertThat(model.resolve("MLmodel")).exists();
            assertThat(code.resolve("score.py")).exists();
            ObjectNode plan = (ObjectNode) Json.mapper().readTree(code.resolve("atelier_batch_plan.json").toFile());
            assertThat(plan.path("input_dir").asText()).isEqualTo("/inputs/data");
            assertThat(plan.path("mini_batches")).hasSize(2);
            assertThat(http.get(staged + "nothing/zip").status()).isEqualTo(400);
            assertThat(http.get("/api/v1/batch-jobs/no-such-job/staged/data/zip").status()).isEqualTo(404);

            // Run the driver as the pod's main container would, on the fetched files (paths as this host sees them).
            plan.put("code_dir", code.toString()).put("input_dir", data.toString());
            Files.writeString(code.resolve("atelier_batch_plan.json"), plan.toString());
            String modelVariable = main.getEnv().stream().filter(variable -> variable.getName().equals("AZUREML_MODEL_DIR"))
                    .map(EnvVar::getValue).findFirst().orElseThrow();
            assertThat(modelVariable).isEqualTo("/inputs/model");
            List<String> driverOutput = runDriver(code, model);
            assertThat(driverOutput).as("the driver's output").anyMatch(line -> line.startsWith(ScriptScoring.PREFIX));

            String objectName = created.getMetadata().getName();
            String podName = objectName + "-abcde";
            String log = driverOutput.stream().map(line -> "2026-12-08T00:00:00.100000000Z " + line + "\n").collect(Collectors.joining());
            server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + podName
                    + "/log?pretty=false&container=main&timestamps=true&follow=true").andReturn(200, log).always();
            server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + podName
                    + "/log?pretty=false&container=main&timestamps=true").andReturn(200, log).always();
            client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(podName)
                    .addToLabels("atelier.dev/job", objectName).endMetadata().withNewStatus().withPhase("Succeeded")
                    .withContainerStatuses(new ContainerStatusBuilder().withName("main").withState(new ContainerStateBuilder()
                            .withNewTerminated().withExitCode(0).endTerminated().build()).build()).endStatus().build()).create();
            KubernetesFixtures.setJobStatus(client, NAMESPACE, objectName, new JobStatusBuilder().withSucceeded(1).build());

            JsonNode ended = batch.awaitEnded(jobName, WAIT);
            assertThat(ended.path("status").asText()).as(ended + " " + batch.logLines(jobName)).isEqualTo("Completed");
            assertThat(ended.path("result").path("files").path("scored").asInt()).isEqualTo(3);
            String[] output = ended.path("result").path("output").asText().split(":");
            HttpJson.Response scores = http.get("/api/v1/data/" + output[1] + "/versions/" + output[2] + "/files/scores.csv");
            assertThat(scores.text().lines().toList()).containsExactly("prediction_0,prediction_1,prediction_2", "a.txt,1,True",
                    "b.txt,2,True", "c.txt,3,True");
            assertThat(http.get(staged + "data/zip").status()).as("the staged folders are gone with the job").isEqualTo(404);
        }
    }

    private static Path unzip(HttpJson http, String path, Path folder) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        Files.createDirectories(folder);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = folder.resolve(entry.getName());
                Files.createDirectories(file.getParent());
                Files.copy(zip, file);
            }
        }
        return folder;
    }

    private static List<String> runDriver(Path code, Path model) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("python3", code.resolve("atelier_batch_driver.py").toString(),
                code.resolve("atelier_batch_plan.json").toString()).directory(code.toFile()).redirectErrorStream(true);
        builder.environment().put("AZUREML_MODEL_DIR", model.toString());
        Process process = builder.start();
        List<String> lines = new ArrayList<>(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
        return lines;
    }
}
