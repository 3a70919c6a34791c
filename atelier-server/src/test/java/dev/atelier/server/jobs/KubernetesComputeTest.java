package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import dev.atelier.server.testing.TestServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kubernetes compute target against fabric8's mock API server (CRUD mode): the Job it creates, its states, cleanup. */
@EnableKubernetesMockClient(crud = true)
class KubernetesComputeTest {
    private static final String NAMESPACE = "ml-jobs";
    private static final Duration WAIT = Duration.ofSeconds(30);
    static KubernetesClient client;
    private static TestServer server;
    private static JobsFixture jobs;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory("atelier-k8s");
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), KubernetesFixtures.kubeconfigText(client, NAMESPACE));
        server = TestServer.start(ServerConfig.forTests(dir.resolve("data"))
                .withJobs(JobsConfig.DEFAULTS.withPublicUrl("http://atelier.example:5000"))
                .withConnections(ConnectionsConfig.DEFAULTS.withKubeconfigDir(dir)));
        jobs = new JobsFixture(server.http());
        server.http().post("/api/v1/environments", Map.of("name", "torch", "kind", "image", "image", "python:3.11-slim"));
        JsonNode compute = server.http().post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes", "max_concurrent_jobs", 2,
                "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig", "cpu", "500m", "memory", "1Gi"))).json();
        assertThat(compute.path("name").asText()).as(compute.toString()).isEqualTo("k8s");
        server.http().post("/api/v1/secrets", Map.of("name", "hf-token", "value", "hf_secret_value"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jobSpecStatusTransitionsAndCleanup() {
        String code = jobs.snapshot(Map.of("train.py", "print('hi')\n"));
        JsonNode submitted = jobs.submit("""
                name: k8s-ok
                code: snapshot:%s
                command: python train.py --lr ${{inputs.lr}}
                inputs: {lr: 0.1}
                environment: torch:1
                compute: azureml:k8s
                environment_variables: {EPOCHS: "3"}
                secrets: {HF_TOKEN: hf-token}
                resources: {memory: 2Gi}
                """.formatted(code));
        Job created = awaitKubernetesJob();
        String name = created.getMetadata().getName();
        Container main = created.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(main.getImage()).isEqualTo("python:3.11-slim");
        // The pod's wrapper runs the command with the image's shell, then posts ./outputs with the job's token.
        assertThat(main.getCommand()).startsWith("/atelier-tools/busybox", "sh", "-c");
        assertThat(main.getCommand().getLast()).contains("/bin/sh -c 'python train.py --lr 0.1'",
                "http://atelier.example:5000/api/v1/jobs/k8s-ok/outputs?encoding=base64");
        assertThat(main.getWorkingDir()).isEqualTo("/code");
        Map<String, EnvVar> env = main.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, var -> var));
        assertThat(env.get("MLFLOW_RUN_ID").getValue()).isEqualTo(submitted.path("run_id").asText());
        assertThat(env.get("MLFLOW_EXPERIMENT_ID").getValue()).isEqualTo("0");
        assertThat(env.get("MLFLOW_TRACKING_URI").getValue()).isEqualTo("http://atelier.example:5000");
        assertThat(env.get("EPOCHS").getValue()).isEqualTo("3");
        // The submitting request's trace (a new one: the test sent no traceparent) reaches the pod (docs/operations.md, "Logs").
        assertThat(env.get("TRACEPARENT").getValue()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        assertThat(env.get("HF_TOKEN").getValue()).isNull();
        assertThat(env.get("HF_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo(name);
        assertThat(main.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(main.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
        Container fetch = created.getSpec().getTemplate().getSpec().getInitContainers().getFirst();
        assertThat(fetch.getImage()).isEqualTo("busybox:1.36-uclibc");
        assertThat(String.join(" ", fetch.getCommand())).contains("http://atelier.example:5000/api/v1/snapshots/" + code + "/zip",
                "unzip", "/code");
        assertThat(created.getSpec().getBackoffLimit()).isZero();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(name).get().getStringData()).containsEntry("HF_TOKEN", "hf_secret_value");
        assertThat(created.toString()).doesNotContain("hf_secret_value");
        assertThat(jobs.job("k8s-ok").path("status").asText()).isEqualTo("Preparing");

        KubernetesFixtures.setJobStatus(client, NAMESPACE, name, new JobStatusBuilder().withActive(1).build());
        jobs.awaitStatus("k8s-ok", "Running", WAIT);
        KubernetesFixtures.setJobStatus(client, NAMESPACE, name, new JobStatusBuilder().withActive(0).withSucceeded(1).build());
        JsonNode done = jobs.awaitEnded("k8s-ok", WAIT);
        assertThat(done.path("status").asText()).isEqualTo("Completed");
        assertThat(jobs.awaitRunStatus(done.path("run_id").asText(), "FINISHED", WAIT).path("info").path("status").asText())
                .isEqualTo("FINISHED");
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(name).get()).isNull();
    }

    @Test
    void failedKubernetesJobFailsTheJobWithTheClusterReason() {
        jobs.submit("name: k8s-fail\ncommand: exit 1\nenvironment: torch\ncompute: k8s\n");
        Job created = awaitKubernetesJob("k8s-fail");
        KubernetesFixtures.setJobStatus(client, NAMESPACE, created.getMetadata().getName(), new JobStatusBuilder().withFailed(1).withConditions(new JobConditionBuilder()
                .withType("Failed").withStatus("True").withMessage("Job has reached the specified backoff limit").build()).build());
        JsonNode done = jobs.awaitEnded("k8s-fail", WAIT);
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("reason").asText()).contains("backoff limit");
    }

    @Test
    void cancelDeletesTheKubernetesJob() {
        jobs.submit("name: k8s-cancel\ncommand: sleep 600\nenvironment: torch\ncompute: k8s\n");
        Job created = awaitKubernetesJob("k8s-cancel");
        server.http().post("/api/v1/jobs/k8s-cancel/cancel", Map.of());
        assertThat(jobs.awaitEnded("k8s-cancel", WAIT).path("status").asText()).isEqualTo("Canceled");
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(created.getMetadata().getName()).get()).isNull();
    }

    @Test
    void kubernetesTargetNeedsAnImageEnvironment() {
        assertThat(jobs.submitYaml("command: echo hi\ncompute: k8s\n").json().path("message").asText())
                .contains("must name an image environment");
    }

    @Test
    void podsCallBackOnlyAtThePublicUrlWhateverAStoredTargetSays() {
        // A target stored before server_url and fetch_image became server configuration still names them.
        server.http().post("/api/v1/computes", Map.of("name", "legacy", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig")));
        server.server().database().writeVoid(handle -> handle.createUpdate("UPDATE compute_targets SET settings = :settings "
                        + "WHERE name = 'legacy'")
                .bind("settings", "{\"namespace\":\"" + NAMESPACE + "\",\"kubeconfig\":\"kubeconfig\","
                        + "\"server_url\":\"http://attacker.example\",\"fetch_image\":\"attacker/fetch:1\"}")
                .execute());
        String code = jobs.snapshot(Map.of("train.py", "print('legacy')\n"));
        jobs.submit("name: k8s-legacy\ncode: snapshot:" + code + "\ncommand: python train.py\nenvironment: torch\ncompute: legacy\n");
        Job created = awaitKubernetesJob("k8s-legacy");
        Container fetch = created.getSpec().getTemplate().getSpec().getInitContainers().getFirst();
        assertThat(fetch.getImage()).isEqualTo("busybox:1.36-uclibc");
        assertThat(String.join(" ", fetch.getCommand())).contains("'http://atelier.example:5000/api/v1/snapshots/" + code + "/zip'")
                .doesNotContain("attacker");
        Container main = created.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(main.getEnv()).filteredOn(var -> var.getValue() != null).extracting(EnvVar::getValue)
                .contains("http://atelier.example:5000").noneMatch(value -> value.contains("attacker"));
        server.http().post("/api/v1/jobs/k8s-legacy/cancel", Map.of());
        jobs.awaitEnded("k8s-legacy", WAIT);
    }

    private static Job awaitKubernetesJob() {
        return awaitKubernetesJob("k8s-ok");
    }

    private static Job awaitKubernetesJob(String jobName) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Job> found = client.batch().v1().jobs().inNamespace(NAMESPACE).withLabel("atelier.dev/workspace", "default")
                    .list().getItems().stream()
                    .filter(job -> job.getMetadata().getName().contains(jobName)).toList();
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            assertThat(System.nanoTime()).as("no Kubernetes Job for " + jobName + ": " + jobs.job(jobName)).isLessThan(deadline);
            JobsFixture.sleep(50);
        }
    }

}
