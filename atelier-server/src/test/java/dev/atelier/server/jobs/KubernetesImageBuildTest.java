package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code image} environments with {@code build} on a Kubernetes target, against fabric8's mock API server (CRUD mode):
 * the BuildKit Job, the run's Job in the built image, a build reused by later jobs, a failed build, a target without
 * a registry.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesImageBuildTest {
    private static final String NAMESPACE = "ml-builds";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DOCKER_CONFIG = "{\"auths\":{\"registry.example:5000\":{\"auth\":\"dXNlcjpwYXNz\"}}}";
    static KubernetesClient client;
    private static TestServer server;
    private static JobsFixture jobs;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory("atelier-k8s-builds");
        Files.writeString(dir.resolve("kubeconfig"), KubernetesFixtures.kubeconfigText(client, NAMESPACE));
        server = TestServer.start(ServerConfig.forTests(dir.resolve("data"))
                .withJobs(JobsConfig.DEFAULTS.withPublicUrl("http://atelier.example:5000"))
                .withConnections(ConnectionsConfig.DEFAULTS.withKubeconfigDir(dir)));
        jobs = new JobsFixture(server.http());
        server.http().post("/api/v1/secrets", Map.of("name", "registry-auth", "value", DOCKER_CONFIG));
        JsonNode compute = server.http().post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig", "registry", "registry.example:5000/team",
                        "registry_secret", "registry-auth"))).json();
        assertThat(compute.path("kubernetes").path("registry").asText()).as(compute.toString()).isEqualTo("registry.example:5000/team");
        server.http().post("/api/v1/computes", Map.of("name", "bare", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBuildEnvironmentIsBuiltOnceByBuildKitAndJobsRunInTheBuiltImage() {
        String context = jobs.snapshot(Map.of("Dockerfile", "FROM python:3.12-slim\nRUN pip install numpy\n"));
        JsonNode environment = createEnvironment("Trainer", context, "Dockerfile");
        assertThat(environment.path("kind").asText()).isEqualTo("image");
        assertThat(environment.path("build").path("context").asText()).isEqualTo("snapshot:" + context);
        assertThat(environment.path("build").path("dockerfile_path").asText()).isEqualTo("Dockerfile");
        JsonNode stored = server.http().get("/api/v1/environments/Trainer/versions/1").json();
        assertThat(stored.path("build").path("context").asText()).as(stored.toString()).isEqualTo("snapshot:" + context);
        assertThat(stored.path("image").isTextual()).as("a built environment has no image of its own").isFalse();

        jobs.submit("name: built-1\ncommand: python -c 'import numpy'\nenvironment: Trainer:1\ncompute: k8s\n");
        // A second job asking meanwhile follows the same build.
        jobs.submit("name: built-1b\ncommand: python -c 'import numpy'\nenvironment: Trainer:1\ncompute: k8s\n");
        Job build = awaitJob(name -> name.startsWith("atelier-build-"));
        String buildName = build.getMetadata().getName();
        String digest = buildName.substring("atelier-build-".length());
        assertThat(digest).matches("[0-9a-f]{16}");
        String reference = "registry.example:5000/team/trainer:" + digest;
        PodSpec pod = build.getSpec().getTemplate().getSpec();
        Container fetch = pod.getInitContainers().getFirst();
        assertThat(fetch.getImage()).isEqualTo("busybox:1.36-uclibc");
        assertThat(String.join(" ", fetch.getCommand())).contains("'http://atelier.example:5000/api/v1/snapshots/" + context + "/zip'",
                "/context");
        Container buildkit = pod.getContainers().getFirst();
        assertThat(buildkit.getImage()).isEqualTo("moby/buildkit:rootless");
        assertThat(buildkit.getCommand()).containsExactly("buildctl-daemonless.sh", "build", "--frontend", "dockerfile.v0",
                "--local", "context=/context", "--local", "dockerfile=/context", "--opt", "filename=Dockerfile",
                "--output", "type=image,name=" + reference + ",push=true");
        assertThat(buildkit.getEnv()).anyMatch(env -> env.getName().equals("BUILDKITD_FLAGS")
                && env.getValue().equals("--oci-worker-no-process-sandbox"));
        assertThat(buildkit.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(buildkit.getSecurityContext().getSeccompProfile().getType()).isEqualTo("Unconfined");
        assertThat(buildkit.getVolumeMounts()).anyMatch(mount -> mount.getMountPath().equals("/home/user/.docker")
                && mount.getName().equals("docker-config"));
        Volume dockerConfig = pod.getVolumes().stream().filter(volume -> volume.getName().equals("docker-config")).findFirst()
                .orElseThrow();
        assertThat(dockerConfig.getSecret().getSecretName()).isEqualTo(buildName);
        assertThat(dockerConfig.getSecret().getItems().getFirst().getPath()).isEqualTo("config.json");
        Secret secret = awaitSecret(buildName);
        assertThat(secret.getStringData()).containsEntry("config.json", DOCKER_CONFIG);
        assertThat(build.toString()).doesNotContain("dXNlcjpwYXNz");
        // While the image builds, the run's own Job waits.
        assertThat(runJob("built-1")).isEmpty();

        KubernetesFixtures.setJobStatus(client, NAMESPACE, buildName, new JobStatusBuilder().withSucceeded(1).build());
        Job run = awaitJob(name -> name.contains("built-1-") || name.endsWith("built-1"));
        assertThat(run.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo(reference);
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("atelier-image-" + digest).get().getData())
                .containsValue(reference);
        awaitGone(buildName);
        finish(run, "built-1");
        Job concurrent = awaitJob(name -> name.contains("built-1b"));
        assertThat(concurrent.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo(reference);
        finish(concurrent, "built-1b");
        // One of the two built the image, the other waited for that build (or, if it came late, found the image).
        List<String> logs = new java.util.ArrayList<>(jobs.logLines("built-1"));
        logs.addAll(jobs.logLines("built-1b"));
        assertThat(logs).filteredOn(line -> line.contains("Building image " + reference)).hasSize(1);
        assertThat(logs).anyMatch(line -> line.contains("Waiting for the build of Kubernetes Job " + NAMESPACE + "/" + buildName)
                || line.contains("Image " + reference + " was built before"));

        // A second job finds the image built: no second build Job.
        jobs.submit("name: built-2\ncommand: python -c 'import numpy'\nenvironment: Trainer@latest\ncompute: k8s\n");
        Job second = awaitJob(name -> name.contains("built-2"));
        assertThat(second.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo(reference);
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName(buildName).get()).isNull();
        finish(second, "built-2");
    }

    @Test
    void aFailedBuildFailsTheJobWithTheBuildsReason() {
        String context = jobs.snapshot(Map.of("docker/train.Dockerfile", "FROM scratch\nRUN false\n"));
        createEnvironment("broken", context, "docker/train.Dockerfile");
        jobs.submit("name: built-broken\ncommand: echo never\nenvironment: broken\ncompute: k8s\n");
        Job build = awaitJob(name -> name.startsWith("atelier-build-") && client.batch().v1().jobs().inNamespace(NAMESPACE)
                .withName(name).get().getSpec().getTemplate().getSpec().getContainers().getFirst().getCommand()
                .contains("filename=docker/train.Dockerfile"));
        KubernetesFixtures.setJobStatus(client, NAMESPACE, build.getMetadata().getName(), new JobStatusBuilder().withFailed(1)
                .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                        .withMessage("Job has reached the specified backoff limit").build()).build());
        JsonNode done = jobs.awaitEnded("built-broken", WAIT);
        assertThat(done.path("status").asText()).isEqualTo("Failed");
        assertThat(done.path("reason").asText()).contains("image build of registry.example:5000/team/broken:", "backoff limit");
        assertThat(runJob("built-broken")).isEmpty();
        awaitGone(build.getMetadata().getName());
    }

    @Test
    void aFailedBuildLeftBehindIsBuiltAgain() throws Exception {
        String context = jobs.snapshot(Map.of("Dockerfile", "FROM python:3.12-slim\nRUN echo again\n"));
        createEnvironment("again", context, "Dockerfile");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String digest = java.util.HexFormat.of().formatHex(sha.digest((context + "\0Dockerfile").getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        String buildName = "atelier-build-" + digest;
        // A build whose job was canceled failed later; nobody deleted it.
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName(buildName).addToAnnotations("atelier.dev/image-reference",
                        "registry.example:5000/team/again:" + digest).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("build").withImage("old").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        KubernetesFixtures.setJobStatus(client, NAMESPACE, buildName, new JobStatusBuilder().withFailed(1).build());

        jobs.submit("name: built-again\ncommand: echo hi\nenvironment: again\ncompute: k8s\n");
        Job rebuilt = awaitJob(name -> {
            Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
            return name.equals(buildName) && job != null && job.getStatus() == null
                    && job.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals("moby/buildkit:rootless");
        });
        KubernetesFixtures.setJobStatus(client, NAMESPACE, rebuilt.getMetadata().getName(), new JobStatusBuilder().withSucceeded(1).build());
        Job run = awaitJob(name -> name.contains("built-again"));
        assertThat(run.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("registry.example:5000/team/again:" + digest);
        finish(run, "built-again");
    }

    /**
     * A build another caller created, and which it saw succeed: it records the image and deletes the Job, possibly before
     * a caller waiting on the same build looks again. The waiter finds the image, instead of failing on the missing Job.
     */
    @Test
    void aWaiterWhoseBuildJobWasDeletedAfterItsSuccessRunsInTheImage() throws Exception {
        String context = jobs.snapshot(Map.of("Dockerfile", "FROM python:3.12-slim\nRUN echo raced\n"));
        createEnvironment("raced", context, "Dockerfile");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String digest = java.util.HexFormat.of().formatHex(sha.digest((context + "\0Dockerfile").getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        String buildName = "atelier-build-" + digest;
        String reference = "registry.example:5000/team/raced:" + digest;
        // Another server's build, still running.
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata().withName(buildName).addToAnnotations("atelier.dev/image-reference", reference).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("build").withImage("moby/buildkit:rootless")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();

        jobs.submit("name: built-raced\ncommand: echo hi\nenvironment: raced\ncompute: k8s\n");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (jobs.logLines("built-raced").stream().noneMatch(line -> line.contains("Waiting for the build of Kubernetes Job"))) {
            assertThat(System.nanoTime()).as("the job never waited for the build").isLessThan(deadline);
            JobsFixture.sleep(50);
        }
        // What the build's creator does once it saw the build succeed: remember the image, then delete the Job.
        client.configMaps().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("atelier-image-" + digest).endMetadata()
                .addToData(reference.replaceAll("[^-._a-zA-Z0-9]", "_"), reference).build()).create();
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(buildName).delete();

        Job run = awaitJob(name -> name.contains("built-raced"));
        assertThat(run.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo(reference);
        finish(run, "built-raced");
    }

    @Test
    void aTargetWithoutARegistryRefusesBuildEnvironmentsAtSubmission() {
        String context = jobs.snapshot(Map.of("Dockerfile", "FROM python:3.12-slim\n"));
        createEnvironment("unpushed", context, "Dockerfile");
        HttpJson.Response refused = jobs.submitYaml("name: built-bare\ncommand: echo hi\nenvironment: unpushed\ncompute: bare\n");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("'bare' has no kubernetes.registry to push built images to");
    }

    @Test
    void theLocalTargetRefusesBuildEnvironments() {
        String context = jobs.snapshot(Map.of("Dockerfile", "FROM python:3.12-slim\n"));
        createEnvironment("containers-only", context, "Dockerfile");
        HttpJson.Response refused = jobs.submitYaml("command: echo hi\nenvironment: containers-only\ncompute: local\n");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("built from a Dockerfile", "needs a kubernetes compute");
    }

    @Test
    void buildsAreValidatedAgainstTheWorkspacesSnapshots() {
        String context = jobs.snapshot(Map.of("Dockerfile", "FROM python:3.12-slim\n"));
        HttpJson.Response noSnapshot = server.http().post("/api/v1/environments", Map.of("name", "x",
                "build", Map.of("context", "snapshot:0000", "dockerfile_path", "Dockerfile")));
        assertThat(noSnapshot.status()).isEqualTo(400);
        assertThat(noSnapshot.json().path("message").asText()).contains("build.context", "no such snapshot");
        HttpJson.Response noDockerfile = server.http().post("/api/v1/environments", Map.of("name", "x",
                "build", Map.of("context", "snapshot:" + context, "dockerfile_path", "docker/Dockerfile")));
        assertThat(noDockerfile.status()).isEqualTo(400);
        assertThat(noDockerfile.json().path("message").asText()).contains("build.dockerfile_path", "no such file");
    }

    @Test
    void aRegistrySecretMustExistAndHoldADockerConfig() {
        HttpJson.Response missing = server.http().post("/api/v1/computes", Map.of("name", "nosecret", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig", "registry", "registry.example:5000",
                        "registry_secret", "absent")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("message").asText()).contains("kubernetes.registry_secret", "no such secret");
        server.http().post("/api/v1/secrets", Map.of("name", "not-docker", "value", "hunter2"));
        HttpJson.Response notDocker = server.http().post("/api/v1/computes", Map.of("name", "notdocker", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", NAMESPACE, "kubeconfig", "kubeconfig", "registry", "registry.example:5000",
                        "registry_secret", "not-docker")));
        assertThat(notDocker.status()).isEqualTo(400);
        assertThat(notDocker.json().path("message").asText()).contains("docker config.json").doesNotContain("hunter2");
    }

    private static JsonNode createEnvironment(String name, String context, String dockerfile) {
        HttpJson.Response created = server.http().post("/api/v1/environments", Map.of("name", name,
                "build", Map.of("context", "snapshot:" + context, "dockerfile_path", dockerfile)));
        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        return created.json();
    }

    private static void finish(Job run, String jobName) {
        KubernetesFixtures.setJobStatus(client, NAMESPACE, run.getMetadata().getName(), new JobStatusBuilder().withSucceeded(1).build());
        assertThat(jobs.awaitEnded(jobName, WAIT).path("status").asText()).isEqualTo("Completed");
    }

    private static Optional<Job> runJob(String jobName) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(job -> job.getMetadata().getName().contains(jobName)).findFirst();
    }

    private static Job awaitJob(java.util.function.Predicate<String> name) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Job> found = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(job -> name.test(job.getMetadata().getName())).toList();
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            assertThat(System.nanoTime()).as("no such Kubernetes Job").isLessThan(deadline);
            JobsFixture.sleep(50);
        }
    }

    private static Secret awaitSecret(String name) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Secret secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
            if (secret != null) {
                return secret;
            }
            assertThat(System.nanoTime()).as("no Secret " + name).isLessThan(deadline);
            JobsFixture.sleep(50);
        }
    }

    private static void awaitGone(String jobName) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.batch().v1().jobs().inNamespace(NAMESPACE).withName(jobName).get() != null) {
            assertThat(System.nanoTime()).as("build Job " + jobName + " not deleted").isLessThan(deadline);
            JobsFixture.sleep(50);
        }
    }
}
