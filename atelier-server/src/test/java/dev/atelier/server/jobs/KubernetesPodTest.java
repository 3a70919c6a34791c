package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a job's pod does on a Kubernetes target, against fabric8's mock API server (CRUD, plus an expectation for the
 * log, which CRUD mode does not serve): a download-mode data input comes through the init container from the job's
 * input route, the main container posts ./outputs to the job's outputs route, and the pod's log reaches the job's log
 * while it runs, not only at its end.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPodTest {
    private static final String NAMESPACE = "ml-jobs";
    private static final Duration WAIT = Duration.ofSeconds(30);
    static KubernetesClient client;
    static KubernetesMockServer server;

    @Test
    void downloadInputsOutputsAndLiveLogs(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kubeconfig"), KubernetesFixtures.kubeconfigText(client, NAMESPACE));
        try (TestServer atelier = TestServer.start(ServerConfig.forTests(dir.resolve("data"))
                .withJobs(JobsConfig.DEFAULTS.withPublicUrl("http://atelier.example:5000"))
                .withConnections(ConnectionsConfig.DEFAULTS.withKubeconfigDir(dir)))) {
            HttpJson http = atelier.http();
            http.post("/api/v1/environments", Map.of("name", "torch", "kind", "image", "image", "python:3.11-slim"));
            http.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes",
                    "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig")));
            uploadFile(http, "churn", "churn.csv", "a,b\n1,2\n");
            JobsFixture jobs = new JobsFixture(http);
            jobs.submit("""
                    name: pod-job
                    command: python train.py --data ${{inputs.train}} --out ${{outputs.model}}
                    environment: torch:1
                    compute: azureml:k8s
                    inputs:
                      train: {type: uri_file, path: data:churn:1, mode: download}
                    outputs:
                      model: {type: uri_folder}
                    """);
            Job created = KubernetesFixtures.awaitJob(client, NAMESPACE, WAIT, () -> jobs.job("pod-job").toString());
            String objectName = created.getMetadata().getName();
            Container fetch = created.getSpec().getTemplate().getSpec().getInitContainers().getFirst();
            assertThat(String.join(" ", fetch.getCommand()))
                    .contains("http://atelier.example:5000/api/v1/jobs/pod-job/inputs/train/zip", "/inputs/train", "/code/outputs/model");
            Container main = created.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(main.getCommand().getLast()).contains("--data /inputs/train/churn.csv --out /code/outputs/model",
                    "http://atelier.example:5000/api/v1/jobs/pod-job/outputs?encoding=base64");

            String podName = objectName + "-abcde";
            server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + podName
                            + "/log?pretty=false&container=main&timestamps=true&follow=true")
                    .andReturn(200, "2026-12-07T10:00:00.100000000Z epoch 1 loss=0.5\n").always();
            client.pods().inNamespace(NAMESPACE).resource(pod(podName, objectName, "running")).create();
            KubernetesFixtures.setJobStatus(client, NAMESPACE, objectName, new JobStatusBuilder().withActive(1).build());
            jobs.awaitStatus("pod-job", "Running", WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!jobs.logLines("pod-job").contains("epoch 1 loss=0.5")) {
                assertThat(System.nanoTime()).as("the pod's log line while it runs: " + jobs.logLines("pod-job")).isLessThan(deadline);
                JobsFixture.sleep(50);
            }
            assertThat(jobs.job("pod-job").path("status").asText()).isEqualTo("Running");

            client.pods().inNamespace(NAMESPACE).resource(pod(podName, objectName, "terminated")).update();
            KubernetesFixtures.setJobStatus(client, NAMESPACE, objectName, new JobStatusBuilder().withSucceeded(1).build());
            JsonNode done = jobs.awaitEnded("pod-job", WAIT);
            assertThat(done.path("status").asText()).isEqualTo("Completed");
            assertThat(jobs.logLines("pod-job").stream().filter(line -> line.equals("epoch 1 loss=0.5")).count())
                    .as("each line once").isEqualTo(1);
        }
    }

    private static Pod pod(String name, String job, String state) {
        boolean running = "running".equals(state);
        ContainerState containerState = running ? new ContainerStateBuilder().withNewRunning().endRunning().build()
                : new ContainerStateBuilder().withNewTerminated().withExitCode(0).endTerminated().build();
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("atelier.dev/job", job).endMetadata()
                .withNewStatus().withPhase(running ? "Running" : "Succeeded")
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withState(containerState).build())
                .endStatus().build();
    }

    private static void uploadFile(HttpJson http, String asset, String fileName, String content) {
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        String uploadId = session.json().path("upload_id").asText();
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                + "/files/" + fileName + "?offset=0")).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", asset, "type", "uri_file", "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

}
