package dev.atelier.server.notebooks;

import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import dev.atelier.server.compute.kubernetes.KubernetesRuns;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.atelier.server.compute.kubernetes.KubernetesFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A compute instance's server on a kubernetes target, against fabric8's mock API server: one pod (a Deployment of one
 * replica) running the instance's image with Jupyter's base URL and token, and a Service in front of it; the owner's
 * files on a PersistentVolumeClaim of the owner's, which outlives the instance and serves their next one.
 */
@EnableKubernetesMockClient(crud = true)
class NotebookOnKubernetesTest {
    static KubernetesClient client;

    @Test
    void theServerIsAPodFromTheInstancesImageBehindAService() throws Exception {
        ComputeTarget target = KubernetesFixtures.target(KubernetesFixtures.kubeconfig(client), "");
        InstanceDocument document = new InstanceDocument("", 30, Optional.empty(),
                Optional.of(new InstanceDocument.Script(Optional.empty(), Optional.of("pip list"))), List.of(),
                Optional.of("quay.io/jupyter/minimal-notebook:2024-05-27"));
        ComputeInstance instance = new ComputeInstance("team", "alice-gpu", "alice", target.name(), document, InstanceState.CREATING,
                Optional.empty(), 0, "alice", 0, 0);
        Path files = Files.createTempDirectory("notebook-files");
        try (KubernetesRuns kubernetes = new KubernetesRuns(KubernetesFixtures.connections(), () -> "", Duration.ofMillis(500))) {
            ServiceHandle handle = kubernetes.serve(target, NotebookServer.spec(instance, files,
                    Map.of("MLFLOW_TRACKING_URI", "https://atelier.example/w/team"),
                    Map.of(NotebookServer.TOKEN_VARIABLE, "jupyter-secret", "MLFLOW_TRACKING_TOKEN", "atl_owner_token"), true),
                    ServiceListener.IGNORE);
            assertThat(handle.address()).as("the Service's address").isPresent();

            List<Deployment> deployments = client.apps().deployments().inNamespace(NAMESPACE).list().getItems();
            assertThat(deployments).hasSize(1);
            Deployment deployment = deployments.getFirst();
            String name = deployment.getMetadata().getName();
            assertThat(name).contains("team", "alice-gpu");
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getInitContainers()).as("nothing to fetch").isEmpty();
            Container main = pod.getContainers().getFirst();
            assertThat(main.getImage()).isEqualTo("quay.io/jupyter/minimal-notebook:2024-05-27");
            assertThat(main.getCommand()).contains("0.0.0.0", "8080", "/w/team/notebooks/alice-gpu/", "/files");
            assertThat(String.join(" ", main.getCommand())).contains("pip list", "--$APP.base_url=\"$BASE\"");
            assertThat(main.getWorkingDir()).isEqualTo("/files");
            assertThat(main.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/w/team/notebooks/alice-gpu/api");
            Map<String, EnvVar> env = main.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, variable -> variable));
            assertThat(env.get("MLFLOW_TRACKING_URI").getValue()).isEqualTo("https://atelier.example/w/team");
            assertThat(env.get("JUPYTER_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo(name);
            assertThat(env.get("MLFLOW_TRACKING_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo(name);
            assertThat(deployment.toString()).doesNotContain("jupyter-secret", "atl_owner_token");
            String claimName = pod.getVolumes().getFirst().getPersistentVolumeClaim().getClaimName();
            assertThat(pod.getVolumes()).singleElement().satisfies(volume -> assertThat(volume.getName()).isEqualTo("files"));
            assertThat(claimName).as("the owner's files claim, named after the owner").startsWith("atelier-files-team-owner-alice-");
            assertThat(pod.getSecurityContext().getFsGroup()).as("Jupyter's user may write in it").isEqualTo(100L);
            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claimName).get();
            assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
            assertThat(client.secrets().inNamespace(NAMESPACE).withName(name).get().getStringData())
                    .containsEntry("JUPYTER_TOKEN", "jupyter-secret").containsEntry("MLFLOW_TRACKING_TOKEN", "atl_owner_token");

            Service service = client.services().inNamespace(NAMESPACE).withName(name).get();
            assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getStrVal()).isEqualTo("http");

            kubernetes.deleteService(target, NotebookServer.workloadId("team", "alice-gpu"));
            assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get()).isNull();
            assertThat(client.services().inNamespace(NAMESPACE).withName(name).get()).isNull();
            assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claimName).get())
                    .as("the owner's files outlive the server").isNotNull();

            // the owner's next instance (another name) mounts the same claim, which is neither replaced nor duplicated
            String uid = client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(claimName).get().getMetadata().getUid();
            ComputeInstance second = new ComputeInstance("team", "alice-cpu", "alice", target.name(), document, InstanceState.CREATING,
                    Optional.empty(), 0, "alice", 0, 0);
            kubernetes.serve(target, NotebookServer.spec(second, files, Map.of(), Map.of(NotebookServer.TOKEN_VARIABLE, "t"), false),
                    ServiceListener.IGNORE);
            Deployment next = client.apps().deployments().inNamespace(NAMESPACE).list().getItems().getFirst();
            assertThat(next.getSpec().getTemplate().getSpec().getVolumes().getFirst().getPersistentVolumeClaim().getClaimName())
                    .isEqualTo(claimName);
            assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()).singleElement()
                    .satisfies(kept -> assertThat(kept.getMetadata().getUid()).isEqualTo(uid));

            // another owner gets a claim of their own
            ComputeInstance bobs = new ComputeInstance("team", "bob-cpu", "bob", target.name(), document, InstanceState.CREATING,
                    Optional.empty(), 0, "bob", 0, 0);
            kubernetes.serve(target, NotebookServer.spec(bobs, files, Map.of(), Map.of(NotebookServer.TOKEN_VARIABLE, "t"), false),
                    ServiceListener.IGNORE);
            assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()).hasSize(2);
        }
    }
}
