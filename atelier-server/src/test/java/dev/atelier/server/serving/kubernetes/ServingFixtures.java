package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.compute.kubernetes.KubernetesFixtures;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A kubernetes target over fabric8's mock API server ({@link KubernetesFixtures}), and a deployment's service spec and names. */
public final class ServingFixtures {
    public static final String NAMESPACE = KubernetesFixtures.NAMESPACE;
    public static final String RUNNER = "print('the runner')\n";

    private ServingFixtures() {
    }

    /** The folder the tests' servers take kubeconfig files from ({@code --kubeconfig-dir}). */
    public static final Path KUBECONFIG_DIR = KubernetesFixtures.KUBECONFIG_DIR;

    /** @see KubernetesFixtures#connections */
    public static KubernetesConnections connections() {
        return KubernetesFixtures.connections();
    }

    /** @see KubernetesFixtures#connectionsConfig */
    public static ConnectionsConfig connectionsConfig() {
        return KubernetesFixtures.connectionsConfig();
    }

    /** @see KubernetesFixtures#kubeconfig */
    public static Path kubeconfig(KubernetesClient mock) throws IOException {
        return KubernetesFixtures.kubeconfig(mock);
    }

    /** @see KubernetesFixtures#kubeconfigText */
    public static String kubeconfigText(KubernetesClient mock) {
        return KubernetesFixtures.kubeconfigText(mock);
    }

    static ComputeTarget target(Path kubeconfig, String serviceUrlTemplate) {
        return KubernetesFixtures.target(kubeconfig, serviceUrlTemplate);
    }

    /** Which deployment a set of objects belongs to, and the names its objects get (as compute/kubernetes names them). */
    public record Ref(String workspace, String endpoint, String deployment) {
        public WorkloadId id() {
            return new WorkloadId(workspace, "deployment", endpoint + "/" + deployment);
        }

        public String objectName() {
            String readable = "atelier-" + ("default".equals(workspace) ? "" : workspace + "-") + endpoint + "-" + deployment;
            String base = readable.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("--+", "-");
            if (base.length() > 54) {
                base = base.substring(0, 54);
            }
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest((workspace + "/" + endpoint + "/" + deployment).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return base.replaceAll("-+$", "") + "-" + java.util.HexFormat.of().formatHex(digest).substring(0, 8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, String> selector() {
            return Map.of("atelier.dev/deployment", objectName());
        }

        Map<String, String> labels() {
            return Map.of("app.kubernetes.io/managed-by", "atelier", "atelier.dev/workspace", workspace, "atelier.dev/endpoint", endpoint,
                    "atelier.dev/deployment", objectName());
        }
    }

    /** Workloads with the given Kubernetes backend and a local one (never used by these tests, but every kind needs one). */
    static dev.atelier.server.compute.Workloads workloads(dev.atelier.server.compute.kubernetes.KubernetesRuns kubernetes) throws IOException {
        Path root = Files.createTempDirectory("atelier-local");
        dev.atelier.server.compute.local.LocalCompute local = dev.atelier.server.compute.local.LocalCompute.start(
                dev.atelier.server.compute.local.LocalComputeConfig.DEFAULTS.withWorkDir(root.resolve("work")), root.resolve("data"), List.of(), false);
        return new dev.atelier.server.compute.Workloads(List.of(new dev.atelier.server.compute.local.LocalRuns(local, root.resolve("jobs"),
                () -> "http://127.0.0.1"), kubernetes));
    }

    /** A scoring-script deployment of model {@code churn}, with a plain and a secret variable and a token. */
    public static ServiceSpec spec(Ref ref, int instances, String modelVersion) {
        return spec(ref, "python:3.12-slim", instances, Optional.of("abc123"), modelVersion, List.of("MLmodel", "model.pkl", "data/my weights.bin"),
                Map.of("LOG_LEVEL", "debug"), Map.of("API_KEY", "s3cr3t-value"), Optional.of("atl_token_value"));
    }

    /** A deployment as ServicesDeploymentSource describes it: its code snapshot (if any) run by the runner, its model's files. */
    public static ServiceSpec spec(Ref ref, String image, int instances, Optional<String> snapshot, String modelVersion, List<String> modelFiles,
                            Map<String, String> variables, Map<String, String> secretVariables, Optional<String> token) {
        Map<String, String> all = new java.util.HashMap<>(variables);
        all.put("AZUREML_MODEL_DIR", "{folder:model}");
        all.put("ATELIER_MODEL_DIR", "{folder:model}");
        all.put("ATELIER_MODEL_VERSION", modelVersion);
        List<ServiceFiles> files = new java.util.ArrayList<>(List.of(new ServiceFiles("model", Optional.empty(), Optional.of(
                new ServiceFiles.Remote.Listed("api/2.0/mlflow-artifacts/artifacts/models/churn/" + modelVersion, modelFiles)))));
        List<String> command = List.of();
        if (snapshot.isPresent()) {
            files.add(new ServiceFiles("code", Optional.empty(), Optional.of(new ServiceFiles.Remote.Zip("api/v1/snapshots/" + snapshot.get() + "/zip"))));
            files.add(new ServiceFiles("atelier", Optional.empty(), Optional.of(new ServiceFiles.Remote.Text("atelier_score_runner.py", RUNNER))));
            command = List.of("python3", "{folder:atelier}/atelier_score_runner.py", "--code", "{folder:code}", "--script", "src/score.py",
                    "--host", "{host}", "--port", "{port}");
        }
        return new ServiceSpec(ref.id(), Map.of("endpoint", ref.endpoint(), "deployment", ref.deployment()), command,
                snapshot.map(s -> "code"), all, secretVariables, Optional.empty(), Optional.of(image), files, instances, "/health", token,
                Optional.empty(), Optional.of("2Gi"));
    }

    static Deployment deployment(KubernetesClient client, String name) {
        return KubernetesFixtures.deployment(client, name);
    }

    /** Sets the Deployment's status as the Deployment controller would. */
    static void setStatus(KubernetesClient client, Ref ref, DeploymentStatus status) {
        KubernetesFixtures.setStatus(client, ref.objectName(), status);
    }

    /** Creates a pod of the deployment with the given container statuses (null for none), as the kubelet would report them. */
    static void pod(KubernetesClient client, Ref ref, String suffix, ContainerStatus main, ContainerStatus fetch) {
        KubernetesFixtures.pod(client, ref.objectName(), ref.labels(), suffix, main, fetch);
    }
}
