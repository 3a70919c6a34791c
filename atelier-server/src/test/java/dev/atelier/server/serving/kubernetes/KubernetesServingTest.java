package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesSettings;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.server.serving.ScoringCall;
import dev.atelier.server.serving.ScoringProtocol;
import dev.atelier.server.serving.ScoringResponse;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The objects of a deployment on a kubernetes target, against fabric8's mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class KubernetesServingTest {
    static final String NAMESPACE = "ml-serving";
    static final String RUNNER = "print('the runner')\n";
    static KubernetesClient client;
    static KubernetesMockServer server;
    private static ComputeTarget target;
    private static KubernetesServing serving;

    @BeforeAll
    static void start() throws IOException {
        target = target(kubeconfig(client), "");
        serving = new KubernetesServing(() -> "http://atelier.example:5000/", RUNNER);
    }

    @AfterAll
    static void stop() {
        serving.close();
    }

    static Path kubeconfig(KubernetesClient mock) throws IOException {
        Path dir = Files.createTempDirectory("atelier-k8s-serving");
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                contexts:
                - name: mock
                  context: {cluster: mock, user: mock, namespace: %s}
                current-context: mock
                users:
                - name: mock
                  user: {token: test-token}
                """.formatted(mock.getMasterUrl().toString(), NAMESPACE));
    }

    static ComputeTarget target(Path kubeconfig, String serviceUrlTemplate) {
        return new ComputeTarget("k8s", ComputeKind.KUBERNETES, 4, Optional.of(new KubernetesSettings(NAMESPACE, kubeconfig.toString(), "",
                "", "", "500m", "1Gi", "", serviceUrlTemplate)), "", 0, 0, false);
    }

    static KubernetesServingSpec spec(KubernetesServingRef ref, int instances, String modelVersion) {
        return new KubernetesServingSpec(ref, "python:3.12-slim", instances, Optional.of(new KubernetesServingSpec.Code("abc123", "src/score.py")),
                new KubernetesServingSpec.ModelSource("churn", modelVersion, "models/churn/" + modelVersion,
                        List.of("MLmodel", "model.pkl", "data/my weights.bin")),
                Map.of("LOG_LEVEL", "debug"), Map.of("API_KEY", "s3cr3t-value"), Optional.of("atl_token_value"), Optional.empty(),
                Optional.of("2Gi"));
    }

    @Test
    void applyCreatesTheConfigMapSecretDeploymentAndService() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "blue");
        serving.apply(target, spec(ref, 2, "3"));
        String name = ref.objectName();

        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName(name).get();
        assertThat(configMap.getData()).containsEntry("atelier_score_runner.py", RUNNER);
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(name).get().getStringData())
                .containsEntry("API_KEY", "s3cr3t-value").containsEntry("ATELIER_TOKEN", "atl_token_value");

        Deployment deployment = deployment(name);
        assertThat(deployment.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "atelier")
                .containsEntry("atelier.dev/workspace", "default").containsEntry("atelier.dev/endpoint", "churn")
                .containsEntry("atelier.dev/deployment", name);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        Container main = pod.getContainers().getFirst();
        assertThat(main.getImage()).isEqualTo("python:3.12-slim");
        assertThat(main.getCommand()).containsExactly("python3", "/atelier/atelier_score_runner.py", "--code", "/code", "--script", "src/score.py",
                "--host", "0.0.0.0", "--port", "8080");
        assertThat(main.getPorts().getFirst().getContainerPort()).isEqualTo(8080);
        for (var probe : List.of(main.getReadinessProbe(), main.getLivenessProbe(), main.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/health");
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        Map<String, EnvVar> env = main.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, var -> var));
        assertThat(env.get("AZUREML_MODEL_DIR").getValue()).isEqualTo("/model");
        assertThat(env.get("ATELIER_MODEL_DIR").getValue()).isEqualTo("/model");
        assertThat(env.get("LOG_LEVEL").getValue()).isEqualTo("debug");
        assertThat(env.get("API_KEY").getValue()).isNull();
        assertThat(env.get("API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo(name);
        assertThat(env).doesNotContainKey("ATELIER_TOKEN");
        assertThat(main.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(main.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
        assertThat(main.getVolumeMounts()).extracting(mount -> mount.getName() + ":" + mount.getMountPath())
                .containsExactlyInAnyOrder("model:/model", "code:/code", "runner:/atelier");
        assertThat(pod.getVolumes()).extracting(volume -> volume.getName()).containsExactlyInAnyOrder("model", "code", "runner");
        assertThat(pod.getVolumes().stream().filter(volume -> volume.getName().equals("runner")).findFirst().orElseThrow()
                .getConfigMap().getName()).isEqualTo(name);

        Container fetch = pod.getInitContainers().getFirst();
        assertThat(fetch.getImage()).isEqualTo("busybox:1.36");
        assertThat(fetch.getEnv()).singleElement().satisfies(var -> {
            assertThat(var.getName()).isEqualTo("ATELIER_TOKEN");
            assertThat(var.getValueFrom().getSecretKeyRef().getName()).isEqualTo(name);
        });
        String script = String.join(" ", fetch.getCommand());
        assertThat(script).contains("'http://atelier.example:5000/api/v1/snapshots/abc123/zip'", "unzip -o -q /tmp/code.zip -d /code",
                "'http://atelier.example:5000/api/2.0/mlflow-artifacts/artifacts/models/churn/3/MLmodel'",
                "-O '/model/data/my weights.bin' 'http://atelier.example:5000/api/2.0/mlflow-artifacts/artifacts/models/churn/3/data/my%20weights.bin'",
                "mkdir -p '/model/data'", "Authorization: Bearer $ATELIER_TOKEN");
        assertThat(deployment.toString()).doesNotContain("s3cr3t-value", "atl_token_value");

        Service service = client.services().inNamespace(NAMESPACE).withName(name).get();
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).isEqualTo(ref.selector());
        assertThat(service.getSpec().getPorts().getFirst().getPort()).isEqualTo(80);
        assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getStrVal()).isEqualTo("http");
    }

    @Test
    void reapplyWithAnotherInstanceCountAndModelUpdatesTheDeployment() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "update-me");
        serving.apply(target, spec(ref, 1, "1"));
        String before = String.join(" ", deployment(ref.objectName()).getSpec().getTemplate().getSpec().getInitContainers().getFirst().getCommand());
        assertThat(before).contains("models/churn/1/model.pkl");

        serving.apply(target, spec(ref, 3, "2"));
        Deployment after = deployment(ref.objectName());
        assertThat(after.getSpec().getReplicas()).isEqualTo(3);
        String command = String.join(" ", after.getSpec().getTemplate().getSpec().getInitContainers().getFirst().getCommand());
        assertThat(command).contains("models/churn/2/model.pkl").doesNotContain("models/churn/1/");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(var -> assertThat(var.getName() + "=" + var.getValue()).isEqualTo("ATELIER_MODEL_VERSION=2"));
    }

    @Test
    void changingASecretValueChangesThePodTemplateSoPodsRoll() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "secret-roll");
        serving.apply(target, spec(ref, 1, "1"));
        String first = deployment(ref.objectName()).getSpec().getTemplate().getMetadata().getAnnotations().get("atelier.dev/config-hash");
        KubernetesServingSpec changed = spec(ref, 1, "1");
        serving.apply(target, new KubernetesServingSpec(ref, changed.image(), 1, changed.code(), changed.model(), changed.environmentVariables(),
                Map.of("API_KEY", "another-value"), changed.token(), changed.cpu(), changed.memory()));
        assertThat(deployment(ref.objectName()).getSpec().getTemplate().getMetadata().getAnnotations().get("atelier.dev/config-hash"))
                .isNotEqualTo(first);
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(ref.objectName()).get().getStringData()).containsEntry("API_KEY", "another-value");
    }

    @Test
    void statusIsReadyOnceEveryReplicaIsReadyAndRolledOut() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "ready");
        serving.apply(target, spec(ref, 2, "1"));
        KubernetesDeploymentStatus starting = serving.status(target, ref);
        assertThat(starting.exists()).isTrue();
        assertThat(starting.available()).isFalse();
        assertThat(starting.failure()).isEmpty();

        setStatus(ref, new DeploymentStatusBuilder().withReplicas(3).withReadyReplicas(2).withUpdatedReplicas(1).withObservedGeneration(1L).build());
        KubernetesDeploymentStatus rolling = serving.status(target, ref);
        assertThat(rolling.available()).isTrue();
        assertThat(rolling.rolledOut()).isFalse();

        setStatus(ref, new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2)
                .withObservedGeneration(1L).build());
        KubernetesDeploymentStatus done = serving.status(target, ref);
        assertThat(done.desiredReplicas()).isEqualTo(2);
        assertThat(done.readyReplicas()).isEqualTo(2);
        assertThat(done.rolledOut()).isTrue();
        assertThat(done.failure()).isEmpty();
    }

    @Test
    void statusReportsImagePullErrorsAndCrashLoopsFromThePods() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "failing");
        serving.apply(target, spec(ref, 1, "1"));
        pod(ref, "a-pull", new ContainerStatusBuilder().withName("main").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"python:3.12-slim\"").endWaiting().endState().build(), null);
        pod(ref, "b-crash", new ContainerStatusBuilder().withName("main").withRestartCount(4).withNewState().withNewWaiting()
                .withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().endLastState().build(), null);
        pod(ref, "c-fetch", null, new ContainerStatusBuilder().withName("fetch").withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .endWaiting().endState().withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState().build());

        KubernetesDeploymentStatus status = serving.status(target, ref);
        assertThat(status.available()).isFalse();
        assertThat(status.failure()).hasValueSatisfying(failure -> assertThat(failure)
                .contains("container main: ImagePullBackOff: Back-off pulling image \"python:3.12-slim\"")
                .contains("CrashLoopBackOff (last exit code 3, Error: the scoring script's init() failed)")
                .contains("downloading the code and model failed: CrashLoopBackOff (last exit code 1)"));
    }

    @Test
    void statusReportsAMissedProgressDeadlineAndAMissingDeployment() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "deadline");
        serving.apply(target, spec(ref, 1, "1"));
        setStatus(ref, new DeploymentStatusBuilder().withReplicas(1).withConditions(new DeploymentConditionBuilder().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet has timed out progressing.").build()).build());
        assertThat(serving.status(target, ref).failure()).hasValue("ProgressDeadlineExceeded: ReplicaSet has timed out progressing.");

        KubernetesDeploymentStatus missing = serving.status(target, new KubernetesServingRef("default", "churn", "never-applied"));
        assertThat(missing.exists()).isFalse();
        assertThat(missing.failure()).hasValueSatisfying(failure -> assertThat(failure).contains("does not exist"));
    }

    @Test
    void deleteRemovesEverything() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "gone");
        serving.apply(target, spec(ref, 1, "1"));
        serving.delete(target, ref);
        String name = ref.objectName();
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.services().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(name).get()).isNull();
        serving.delete(target, ref);
    }

    @Test
    void badVariablesAndModelFilesAreRefusedBeforeAnythingIsWritten() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "refused");
        KubernetesServingSpec good = spec(ref, 1, "1");
        assertThatThrownBy(() -> serving.apply(target, new KubernetesServingSpec(ref, good.image(), 1, good.code(), good.model(),
                Map.of("1BAD", "x"), Map.of(), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOf(AtelierException.class).hasMessageContaining("'1BAD'");
        assertThatThrownBy(() -> serving.apply(target, new KubernetesServingSpec(ref, good.image(), 1, good.code(), good.model(),
                Map.of("API_KEY", "x"), Map.of("API_KEY", "y"), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOf(AtelierException.class).hasMessageContaining("both plain and secret");
        assertThatThrownBy(() -> serving.apply(target, new KubernetesServingSpec(ref, good.image(), 1, good.code(),
                new KubernetesServingSpec.ModelSource("churn", "1", "models/churn/1", List.of("../../etc/passwd")),
                Map.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOf(AtelierException.class).hasMessageContaining("../../etc/passwd");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(ref.objectName()).get()).isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(ref.objectName()).get()).isNull();
    }

    @Test
    void anImageThatServesTheModelRunsWithoutCodeAndOtherWorkspacesDownloadUnderTheirPrefix() {
        KubernetesServingRef ref = new KubernetesServingRef("team-a", "churn", "image");
        KubernetesServingSpec good = spec(ref, 1, "1");
        serving.apply(target, new KubernetesServingSpec(ref, "ghcr.io/acme/churn-server:1", 1, Optional.empty(), good.model(), Map.of(),
                Map.of(), Optional.empty(), Optional.empty(), Optional.empty()));
        PodSpec pod = deployment(ref.objectName()).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().getFirst().getCommand()).isEmpty();
        assertThat(pod.getInitContainers().getFirst().getEnv()).isEmpty();
        assertThat(String.join(" ", pod.getInitContainers().getFirst().getCommand()))
                .contains("http://atelier.example:5000/w/team-a/api/2.0/mlflow-artifacts/artifacts/models/churn/1/MLmodel")
                .doesNotContain("snapshots");
        assertThat(deployment(ref.objectName()).getMetadata().getLabels()).containsEntry("atelier.dev/workspace", "team-a");
    }

    @Test
    void objectNamesAreDnsSafeShortAndDistinct() {
        String longName = new KubernetesServingRef("a-very-long-workspace-name", "an-endpoint-with-a-long-name", "Blue_Deployment.V2").objectName();
        assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z]([a-z0-9-]*[a-z0-9])?");
        assertThat(new KubernetesServingRef("default", "a-b", "c").objectName())
                .isNotEqualTo(new KubernetesServingRef("default", "a", "b-c").objectName());
        assertThat(new KubernetesServingRef("default", "churn", "blue").objectName()).startsWith("atelier-churn-blue-");
    }

    @Test
    void serviceUrlComesFromTheTargetsTemplate() throws IOException {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "blue");
        assertThat(serving.serviceUrl(target, ref)).isEqualTo("http://" + ref.objectName() + ".ml-serving.svc.cluster.local");
        ComputeTarget proxied = target(kubeconfig(client), "http://127.0.0.1:8001/api/v1/namespaces/{namespace}/services/{service}:80/proxy/");
        assertThat(serving.serviceUrl(proxied, ref))
                .isEqualTo("http://127.0.0.1:8001/api/v1/namespaces/ml-serving/services/" + ref.objectName() + ":80/proxy");
        assertThatThrownBy(() -> serving.serviceUrl(target(kubeconfig(client), "{service}:80"), ref))
                .isInstanceOf(AtelierException.class).hasMessageContaining("service_url_template");
    }

    @Test
    void logsAreTheTailOfEachPodsDownloadAndScoringContainers() {
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "logs");
        serving.apply(target, spec(ref, 1, "1"));
        assertThat(serving.logs(target, ref, 10)).isEmpty();

        pod(ref, "p1", null, null);
        String pod = ref.objectName() + "-p1";
        String path = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?pretty=false&container=";
        server.expect().get().withPath(path + "fetch&tailLines=2").andReturn(200, "atelier: fetched the code and 3 model file(s)\n").always();
        server.expect().get().withPath(path + "main&tailLines=2").andReturn(200, "init done\nscored 3 rows\n").always();
        assertThat(serving.logs(target, ref, 2)).containsExactly("[" + pod + "] init done", "[" + pod + "] scored 3 rows");
    }

    @Test
    void aBackendStartedForTheDeploymentScoresThroughTheTemplateUrlAndTurnsReadyWithTheDeployment() throws IOException {
        HttpServer pods = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pods.createContext("/score", exchange -> {
            byte[] answer = "[42]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        pods.start();
        KubernetesServingRef ref = new KubernetesServingRef("default", "churn", "served");
        ComputeTarget forwarded = target(kubeconfig(client), "http://127.0.0.1:" + pods.getAddress().getPort());
        serving.apply(forwarded, spec(ref, 1, "1"));
        try (KubernetesBackend backend = KubernetesBackend.start(serving, forwarded, ref, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofMillis(100))) {
            assertThat(backend.refreshStatus().available()).isFalse();
            assertThat(backend.ready()).isFalse();
            setStatus(ref, new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1)
                    .withObservedGeneration(deployment(ref.objectName()).getMetadata().getGeneration()).build());
            assertThat(backend.refreshStatus().rolledOut()).isTrue();
            assertThat(backend.ready()).isTrue();
            ScoringResponse response = backend.score(new ScoringCall(ScoringProtocol.MLFLOW_INVOCATIONS, "",
                    "{\"inputs\": [[1]]}".getBytes(StandardCharsets.UTF_8), "application/json", "req-9"));
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"predictions\":[42]}");
        } finally {
            pods.stop(0);
        }
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    private static void setStatus(KubernetesServingRef ref, DeploymentStatus status) {
        Deployment deployment = deployment(ref.objectName());
        deployment.setStatus(status);
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).updateStatus();
    }

    private static void pod(KubernetesServingRef ref, String suffix, io.fabric8.kubernetes.api.model.ContainerStatus main,
                            io.fabric8.kubernetes.api.model.ContainerStatus fetch) {
        Pod pod = new PodBuilder().withNewMetadata().withName(ref.objectName() + "-" + suffix).addToLabels(ref.labels()).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("python:3.12-slim").endContainer().endSpec()
                .withNewStatus().withContainerStatuses(main == null ? List.of() : List.of(main))
                .withInitContainerStatuses(fetch == null ? List.of() : List.of(fetch)).endStatus().build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }
}
