package dev.atelier.server.jobs;

import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import dev.atelier.server.testing.TestServer;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job on a Kubernetes target outlives the server that started it: the server stops, the pod keeps running, and the
 * next server takes the job over when the lease expires, follows it to its end and cleans up (fabric8's mock API
 * server, CRUD mode).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesReattachTest {
    private static final String NAMESPACE = "ml-jobs";
    private static final Duration WAIT = Duration.ofSeconds(30);
    static KubernetesClient client;

    @Test
    void aRunningJobIsTakenOverAfterARestartInsteadOfFailed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kubeconfig"), KubernetesFixtures.kubeconfigText(client, NAMESPACE));
        ServerConfig config = ServerConfig.forTests(dir.resolve("data"))
                .withJobs(JobsConfig.DEFAULTS.withPublicUrl("http://atelier.example:5000").withLease(Duration.ofSeconds(2)))
                .withConnections(ConnectionsConfig.DEFAULTS.withKubeconfigDir(dir));
        String objectName;
        try (TestServer first = TestServer.start(config)) {
            first.http().post("/api/v1/environments", Map.of("name", "torch", "kind", "image", "image", "python:3.11-slim"));
            first.http().post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes",
                    "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig")));
            JobsFixture jobs = new JobsFixture(first.http());
            jobs.submit("""
                    name: long-train
                    command: python train.py
                    environment: torch:1
                    compute: azureml:k8s
                    """);
            Job created = KubernetesFixtures.awaitJob(client, NAMESPACE, WAIT, () -> jobs.job("long-train").toString());
            objectName = created.getMetadata().getName();
            KubernetesFixtures.setJobStatus(client, NAMESPACE, objectName, new JobStatusBuilder().withActive(1).build());
            jobs.awaitStatus("long-train", "Running", WAIT);
        }
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(objectName).get())
                .as("the stopping server leaves the Kubernetes Job running").isNotNull();
        try (TestServer second = TestServer.start(config)) {
            JobsFixture jobs = new JobsFixture(second.http());
            assertThat(jobs.job("long-train").path("status").asText()).isEqualTo("Running");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (jobs.logLines("long-train").stream().noneMatch(line -> line.contains("Re-attached"))) {
                assertThat(System.nanoTime()).as("never re-attached: " + jobs.logLines("long-train")).isLessThan(deadline);
                JobsFixture.sleep(100);
            }
            KubernetesFixtures.setJobStatus(client, NAMESPACE, objectName, new JobStatusBuilder().withSucceeded(1).build());
            assertThat(jobs.awaitEnded("long-train", WAIT).path("status").asText()).isEqualTo("Completed");
            List<String> log = jobs.logLines("long-train");
            assertThat(log).anyMatch(line -> line.contains("keeps running on compute 'k8s'"));
            assertThat(log).noneMatch(line -> line.contains("lease expired"));
            deadline = System.nanoTime() + WAIT.toNanos();
            while (client.batch().v1().jobs().inNamespace(NAMESPACE).withName(objectName).get() != null) {
                assertThat(System.nanoTime()).as("the Kubernetes Job is deleted at the end").isLessThan(deadline);
                JobsFixture.sleep(50);
            }
        }
    }

}
