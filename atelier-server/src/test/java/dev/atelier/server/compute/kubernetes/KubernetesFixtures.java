package dev.atelier.server.compute.kubernetes;

import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A kubernetes target over fabric8's mock API server, and the objects tests read and set there as the controllers would. */
public final class KubernetesFixtures {
    public static final String NAMESPACE = "ml-serving";

    private KubernetesFixtures() {
    }

    /** The folder the tests' servers take kubeconfig files from ({@code --kubeconfig-dir}). */
    public static final Path KUBECONFIG_DIR = kubeconfigDir();

    private static Path kubeconfigDir() {
        try {
            return Files.createTempDirectory("atelier-kubeconfigs").toRealPath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How the server would connect with {@link #KUBECONFIG_DIR} as its kubeconfig folder (no secrets). */
    public static KubernetesConnections connections() {
        return new KubernetesConnections(Optional.of(KUBECONFIG_DIR), ConnectionsConfig.DEFAULT_KUBERNETES_FETCH_IMAGE, Optional.empty());
    }

    /** A server configuration that takes kubeconfig files from {@link #KUBECONFIG_DIR}. */
    public static ConnectionsConfig connectionsConfig() {
        return ConnectionsConfig.DEFAULTS.withKubeconfigDir(KUBECONFIG_DIR);
    }

    /** A kubeconfig file in {@link #KUBECONFIG_DIR} naming the mock server, with {@link #NAMESPACE} as its namespace. */
    public static Path kubeconfig(KubernetesClient mock) throws IOException {
        return Files.writeString(Files.createTempFile(KUBECONFIG_DIR, "kubeconfig", ""), kubeconfigText(mock));
    }

    /** The text of a kubeconfig naming the mock server (what a kubeconfig secret holds). */
    public static String kubeconfigText(KubernetesClient mock) {
        return kubeconfigText(mock, NAMESPACE);
    }

    /** The text of a kubeconfig naming the mock server, with {@code namespace} as its namespace. */
    public static String kubeconfigText(KubernetesClient mock, String namespace) {
        return """
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
                """.formatted(mock.getMasterUrl().toString(), namespace);
    }

    /** The first batch/v1 Job in {@code namespace}, once there is one; fails after {@code wait}, saying {@code what}. */
    public static io.fabric8.kubernetes.api.model.batch.v1.Job awaitJob(KubernetesClient mock, String namespace, java.time.Duration wait,
                                                                       java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<io.fabric8.kubernetes.api.model.batch.v1.Job> found = mock.batch().v1().jobs().inNamespace(namespace).list().getItems();
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            org.assertj.core.api.Assertions.assertThat(System.nanoTime()).as("no Kubernetes Job: " + what.get()).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sets a batch/v1 Job's status in the mock cluster, as the Job controller would. */
    public static void setJobStatus(KubernetesClient mock, String namespace, String name,
                                    io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
        io.fabric8.kubernetes.api.model.batch.v1.Job job = mock.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        job.setStatus(status);
        mock.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
    }

    public static ComputeTarget target(Path kubeconfig, String serviceUrlTemplate) {
        return new ComputeTarget("k8s", ComputeKind.KUBERNETES, 4, Optional.of(new KubernetesSettings(NAMESPACE,
                kubeconfig.getFileName().toString(), "", 0, "", "500m", "1Gi", "", serviceUrlTemplate)), "", 0, 0, false);
    }

    public static Deployment deployment(KubernetesClient client, String name) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    /** Sets the Deployment's status as the Deployment controller would. */
    public static void setStatus(KubernetesClient client, String name, DeploymentStatus status) {
        Deployment deployment = deployment(client, name);
        deployment.setStatus(status);
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).updateStatus();
    }

    /** Creates a pod named {@code <name>-<suffix>} with the given labels and container statuses (null for none), as the kubelet would report them. */
    public static void pod(KubernetesClient client, String name, Map<String, String> labels, String suffix, ContainerStatus main,
                           ContainerStatus fetch) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name + "-" + suffix).addToLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("python:3.12-slim").endContainer().endSpec()
                .withNewStatus().withContainerStatuses(main == null ? List.of() : List.of(main))
                .withInitContainerStatuses(fetch == null ? List.of() : List.of(fetch)).endStatus().build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }
}
