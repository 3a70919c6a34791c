package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.serving.kubernetes.ServingFixtures;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.WorkloadId;
import java.time.Duration;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeTarget;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.atelier.server.compute.kubernetes.KubernetesFixtures.NAMESPACE;
import static dev.atelier.server.compute.kubernetes.KubernetesFixtures.kubeconfig;
import static dev.atelier.server.compute.kubernetes.KubernetesFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The objects of a service workload on a kubernetes target (a scoring deployment's, as serving describes it), against
 * fabric8's mock API server (CRUD mode).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesServicesTest {
    static final String RUNNER = ServingFixtures.RUNNER;
    static KubernetesClient client;
    private static ComputeTarget target;
    private static KubernetesRuns serving;

    @BeforeAll
    static void start() throws IOException {
        target = target(kubeconfig(client), "");
        serving = new KubernetesRuns(KubernetesFixtures.connections(), () -> "http://atelier.example:5000/", Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        serving.close();
    }

    @Test
    void applyCreatesTheConfigMapSecretDeploymentAndService() {
        Ref ref = new Ref("default", "churn", "blue");
        serving.serve(target, spec(ref, 2, "3"), ServiceListener.IGNORE);
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
                .containsExactlyInAnyOrder("model:/model", "code:/code", "atelier:/atelier");
        assertThat(pod.getVolumes()).extracting(volume -> volume.getName()).containsExactlyInAnyOrder("model", "code", "atelier");
        assertThat(pod.getVolumes().stream().filter(volume -> volume.getName().equals("atelier")).findFirst().orElseThrow()
                .getConfigMap().getName()).isEqualTo(name);

        Container fetch = pod.getInitContainers().getFirst();
        assertThat(fetch.getImage()).isEqualTo("busybox:1.36-uclibc");
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
        Ref ref = new Ref("default", "churn", "update-me");
        serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE);
        String before = String.join(" ", deployment(ref.objectName()).getSpec().getTemplate().getSpec().getInitContainers().getFirst().getCommand());
        assertThat(before).contains("models/churn/1/model.pkl");

        serving.serve(target, spec(ref, 3, "2"), ServiceListener.IGNORE);
        Deployment after = deployment(ref.objectName());
        assertThat(after.getSpec().getReplicas()).isEqualTo(3);
        String command = String.join(" ", after.getSpec().getTemplate().getSpec().getInitContainers().getFirst().getCommand());
        assertThat(command).contains("models/churn/2/model.pkl").doesNotContain("models/churn/1/");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(var -> assertThat(var.getName() + "=" + var.getValue()).isEqualTo("ATELIER_MODEL_VERSION=2"));
    }

    @Test
    void changingASecretValueChangesThePodTemplateSoPodsRoll() {
        Ref ref = new Ref("default", "churn", "secret-roll");
        serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE);
        String first = deployment(ref.objectName()).getSpec().getTemplate().getMetadata().getAnnotations().get("atelier.dev/config-hash");
        serving.serve(target, spec(ref, "python:3.12-slim", 1, Optional.of("abc123"), "1", List.of("MLmodel"), Map.of("LOG_LEVEL", "debug"),
                Map.of("API_KEY", "another-value"), Optional.of("atl_token_value")), ServiceListener.IGNORE);
        assertThat(deployment(ref.objectName()).getSpec().getTemplate().getMetadata().getAnnotations().get("atelier.dev/config-hash"))
                .isNotEqualTo(first);
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(ref.objectName()).get().getStringData()).containsEntry("API_KEY", "another-value");
    }

    @Test
    void deleteRemovesEverything() {
        Ref ref = new Ref("default", "churn", "gone");
        serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE);
        serving.deleteService(target, ref.id());
        String name = ref.objectName();
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.services().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(name).get()).isNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(name).get()).isNull();
        serving.deleteService(target, ref.id());
    }

    @Test
    void badVariablesAndModelFilesAreRefusedBeforeAnythingIsWritten() {
        Ref ref = new Ref("default", "churn", "refused");
        List<String> files = List.of("MLmodel");
        assertThatThrownBy(() -> serving.serve(target, spec(ref, "python:3.12-slim", 1, Optional.of("abc123"), "1", files,
                Map.of("1BAD", "x"), Map.of(), Optional.empty()), ServiceListener.IGNORE))
                .isInstanceOf(AtelierException.class).hasMessageContaining("'1BAD'");
        assertThatThrownBy(() -> serving.serve(target, spec(ref, "python:3.12-slim", 1, Optional.of("abc123"), "1", files,
                Map.of("API_KEY", "x"), Map.of("API_KEY", "y"), Optional.empty()), ServiceListener.IGNORE))
                .isInstanceOf(AtelierException.class).hasMessageContaining("both plain and secret");
        assertThatThrownBy(() -> serving.serve(target, spec(ref, "python:3.12-slim", 1, Optional.of("abc123"), "1", List.of("../../etc/passwd"),
                Map.of(), Map.of(), Optional.empty()), ServiceListener.IGNORE))
                .isInstanceOf(AtelierException.class).hasMessageContaining("../../etc/passwd");
        List<String> manyFiles = java.util.stream.IntStream.range(0, 2_000).mapToObj(i -> "shards/part-" + i + "-of-a-very-sharded-model.bin")
                .toList();
        assertThatThrownBy(() -> serving.serve(target, spec(ref, "python:3.12-slim", 1, Optional.of("abc123"), "1", manyFiles,
                Map.of(), Map.of(), Optional.empty()), ServiceListener.IGNORE))
                .isInstanceOf(AtelierException.class).hasMessageContaining("has 2000 files").hasMessageContaining("fewer files");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(ref.objectName()).get()).isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName(ref.objectName()).get()).isNull();
    }

    @Test
    void anImageThatServesTheModelRunsWithoutCodeAndOtherWorkspacesDownloadUnderTheirPrefix() {
        Ref ref = new Ref("team-a", "churn", "image");
        serving.serve(target, spec(ref, "ghcr.io/acme/churn-server:1", 1, Optional.empty(), "1", List.of("MLmodel", "model.pkl"), Map.of(),
                Map.of(), Optional.empty()), ServiceListener.IGNORE);
        PodSpec pod = deployment(ref.objectName()).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().getFirst().getCommand()).isEmpty();
        assertThat(pod.getInitContainers().getFirst().getEnv()).isEmpty();
        assertThat(String.join(" ", pod.getInitContainers().getFirst().getCommand()))
                .contains("http://atelier.example:5000/w/team-a/api/2.0/mlflow-artifacts/artifacts/models/churn/1/MLmodel")
                .doesNotContain("snapshots");
        assertThat(deployment(ref.objectName()).getMetadata().getLabels()).containsEntry("atelier.dev/workspace", "team-a");
    }

    @Test
    void serviceUrlComesFromTheTargetsTemplate() throws IOException {
        Ref ref = new Ref("default", "churn", "blue");
        assertThat(serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE).address())
                .hasValue("http://" + ref.objectName() + ".ml-serving.svc.cluster.local");
        ComputeTarget proxied = target(kubeconfig(client), "http://127.0.0.1:8001/api/v1/namespaces/{namespace}/services/{service}:80/proxy/");
        assertThat(serving.serve(proxied, spec(ref, 1, "1"), ServiceListener.IGNORE).address())
                .hasValue("http://127.0.0.1:8001/api/v1/namespaces/ml-serving/services/" + ref.objectName() + ":80/proxy");
        assertThatThrownBy(() -> serving.serve(target(kubeconfig(client), "{service}:80"), spec(ref, 1, "1"), ServiceListener.IGNORE))
                .isInstanceOf(AtelierException.class).hasMessageContaining("service_url_template");
    }

    @Test
    void objectNamesAreDnsSafeShortAndDistinct() {
        String longName = new Ref("a-very-long-workspace-name", "an-endpoint-with-a-long-name", "Blue_Deployment.V2").objectName();
        assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z]([a-z0-9-]*[a-z0-9])?");
        assertThat(new Ref("default", "a-b", "c").objectName()).isNotEqualTo(new Ref("default", "a", "b-c").objectName());
        assertThat(new Ref("default", "churn", "blue").objectName()).startsWith("atelier-churn-blue-");
    }

    /** A service {@code <endpoint>/<deployment>} of owner {@code deployment}, tagged with both, as serving names a deployment. */
    record Ref(String workspace, String endpoint, String deployment) {
        WorkloadId id() {
            return new WorkloadId(workspace, "deployment", endpoint + "/" + deployment);
        }

        String objectName() {
            return ServiceNames.objectName(id());
        }

        Map<String, String> selector() {
            return ServiceNames.selector(id());
        }
    }

    /** A scoring-script deployment of model {@code churn} ({@link ServingFixtures#spec}), as serving describes one. */
    private static ServiceSpec spec(Ref ref, int instances, String modelVersion) {
        return ServingFixtures.spec(fixture(ref), instances, modelVersion);
    }

    private static ServiceSpec spec(Ref ref, String image, int instances, Optional<String> snapshot, String modelVersion, List<String> modelFiles,
                                    Map<String, String> variables, Map<String, String> secretVariables, Optional<String> token) {
        return ServingFixtures.spec(fixture(ref), image, instances, snapshot, modelVersion, modelFiles, variables, secretVariables, token);
    }

    private static ServingFixtures.Ref fixture(Ref ref) {
        return new ServingFixtures.Ref(ref.workspace(), ref.endpoint(), ref.deployment());
    }

    private static Deployment deployment(String name) {
        return KubernetesFixtures.deployment(client, name);
    }
}
