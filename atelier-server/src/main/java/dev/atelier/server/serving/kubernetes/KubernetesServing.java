package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.KubernetesSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Runs deployments on {@code kubernetes} compute targets: creates or replaces a deployment's ConfigMap, Secret,
 * Deployment and Service ({@link KubernetesServingObjects}), reads where it stands, reads its pods' logs and deletes
 * it all. A change of image, model, code, variables or instance count is the Deployment's own rolling update
 * (maxUnavailable 0): old pods serve until new ones are ready. Pods download from the server's public URL only.
 * Thread-safe; one client per workspace and target settings ({@link KubernetesConnections}), kept until {@link #close()}.
 */
public final class KubernetesServing implements AutoCloseable {
    /** Where Atelier's scoring runner is on the classpath. */
    public static final String RUNNER_RESOURCE = "/serving/atelier_score_runner.py";
    private static final Pattern VARIABLE = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final KubernetesConnections connections;
    private final Supplier<String> publicUrl;
    private final String runnerScript;
    private final Map<ClientKey, KubernetesClient> clients = new ConcurrentHashMap<>();

    /**
     * @param connections  how the server reaches targets' clusters, and the fetch image
     * @param publicUrl    the server's URL as pods reach it ({@code --public-url}, else the URL it listens on)
     * @param runnerScript the text of Atelier's scoring runner ({@link #runnerFromClasspath()})
     */
    public KubernetesServing(KubernetesConnections connections, Supplier<String> publicUrl, String runnerScript) {
        this.connections = requireNonNull(connections, "connections is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.runnerScript = requireNonNull(runnerScript, "runnerScript is null");
    }

    /** The scoring runner shipped in Atelier's jar, at {@link #RUNNER_RESOURCE}. */
    public static String runnerFromClasspath() {
        try (InputStream in = KubernetesServing.class.getResourceAsStream(RUNNER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The scoring runner " + RUNNER_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the deployment's objects, or replaces them when they exist. Everything is checked before anything is
     * written.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a variable name Kubernetes refuses, a variable both plain
     *                          and secret, a model file outside the model's folder, a target that is not kubernetes,
     *                          a service URL template that gives no http(s) URL;
     *                          INVALID_STATE when the cluster refuses an object or cannot be reached
     */
    public void apply(ComputeTarget target, KubernetesServingSpec spec) {
        KubernetesSettings settings = settings(target);
        checkVariables(spec);
        ServiceUrl.of(settings, spec.ref());
        if (spec.image().isBlank()) {
            throw AtelierException.invalidParameter("A deployment on Kubernetes target '" + target.name() + "' needs an image environment");
        }
        String serverUrl = publicUrl.get();
        if (serverUrl == null || serverUrl.isBlank()) {
            throw AtelierException.invalidState("Pods on Kubernetes target '" + target.name() + "' need the server's URL to download the "
                    + "code and model: set the server's --public-url");
        }
        ConfigMap configMap = KubernetesServingObjects.configMap(spec, runnerScript);
        Secret secret = KubernetesServingObjects.secret(spec);
        Service service = KubernetesServingObjects.service(spec);
        Deployment deployment = KubernetesServingObjects.deployment(spec, settings, serverUrl.replaceAll("/+$", ""),
                connections.fetchImage(), runnerScript);
        KubernetesClient client = client(spec.ref().workspace(), settings);
        String namespace = settings.namespace();
        try {
            client.configMaps().inNamespace(namespace).resource(configMap).createOr(NonDeletingOperation::update);
            client.secrets().inNamespace(namespace).resource(secret).createOr(NonDeletingOperation::update);
            client.services().inNamespace(namespace).resource(service).createOr(NonDeletingOperation::update);
            client.apps().deployments().inNamespace(namespace).resource(deployment).createOr(NonDeletingOperation::update);
        } catch (KubernetesClientException e) {
            throw refused(target, "apply", spec.ref(), e);
        }
    }

    /** Where the deployment stands: ready pods against the instance count, and why pods fail when they do. */
    public KubernetesDeploymentStatus status(ComputeTarget target, KubernetesServingRef ref) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(ref.workspace(), settings);
        String name = ref.objectName();
        try {
            Deployment deployment = client.apps().deployments().inNamespace(settings.namespace()).withName(name).get();
            if (deployment == null) {
                return KubernetesDeploymentStatus.missing(settings.namespace() + "/" + name);
            }
            return KubernetesStatusReader.read(deployment, pods(client, settings, ref));
        } catch (KubernetesClientException e) {
            throw refused(target, "read", ref, e);
        }
    }

    /** Deletes the deployment's Deployment (and so its pods), Service, Secret and ConfigMap; missing ones are skipped. */
    public void delete(ComputeTarget target, KubernetesServingRef ref) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(ref.workspace(), settings);
        String namespace = settings.namespace();
        String name = ref.objectName();
        try {
            client.apps().deployments().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            client.services().inNamespace(namespace).withName(name).delete();
            client.secrets().inNamespace(namespace).withName(name).delete();
            client.configMaps().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            throw refused(target, "delete", ref, e);
        }
    }

    /**
     * The last {@code tail} lines of the deployment's pods, each line prefixed with {@code [<pod>]}: per pod (oldest
     * first), its download step's lines, then the scoring container's. A pod whose logs cannot be read yet gives one
     * line saying why.
     */
    public List<String> logs(ComputeTarget target, KubernetesServingRef ref, int tail) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(ref.workspace(), settings);
        List<String> lines = new ArrayList<>();
        try {
            for (Pod pod : pods(client, settings, ref)) {
                String podName = pod.getMetadata().getName();
                for (String container : List.of(KubernetesServingObjects.FETCH_CONTAINER, KubernetesServingObjects.MAIN_CONTAINER)) {
                    try {
                        String text = client.pods().inNamespace(settings.namespace()).withName(podName).inContainer(container)
                                .tailingLines(Math.max(1, tail)).getLog();
                        if (text != null) {
                            text.lines().forEach(line -> lines.add("[" + podName + "] " + line));
                        }
                    } catch (KubernetesClientException e) {
                        lines.add("[" + podName + "] [atelier] no logs of container " + container + " yet: " + e.getMessage());
                    }
                }
            }
        } catch (KubernetesClientException e) {
            throw refused(target, "read the logs of", ref, e);
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - Math.max(0, tail)), lines.size()));
    }

    /** The base URL of the deployment's Service, from the target's {@code service_url_template}. */
    public String serviceUrl(ComputeTarget target, KubernetesServingRef ref) {
        return ServiceUrl.of(settings(target), ref);
    }

    @Override
    public void close() {
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
    }

    private static List<Pod> pods(KubernetesClient client, KubernetesSettings settings, KubernetesServingRef ref) {
        return client.pods().inNamespace(settings.namespace()).withLabels(ref.selector()).list().getItems().stream()
                .sorted(Comparator.comparing((Pod pod) -> String.valueOf(pod.getMetadata().getCreationTimestamp()))
                        .thenComparing(pod -> pod.getMetadata().getName()))
                .toList();
    }

    private KubernetesClient client(String workspace, KubernetesSettings settings) {
        return clients.computeIfAbsent(new ClientKey(workspace, settings),
                key -> connections.client(workspace, settings, "kubernetes-serving"));
    }

    private record ClientKey(String workspace, KubernetesSettings settings) {
    }

    private static KubernetesSettings settings(ComputeTarget target) {
        return target.kubernetes().orElseThrow(() -> AtelierException.invalidParameter(
                "Compute target '" + target.name() + "' is not a kubernetes target"));
    }

    private static void checkVariables(KubernetesServingSpec spec) {
        for (String variable : spec.environmentVariables().keySet()) {
            checkVariable(variable);
            if (spec.secretVariables().containsKey(variable)) {
                throw AtelierException.invalidParameter("Variable '" + variable + "' of 'environment_variables' is given both plain and secret");
            }
        }
        spec.secretVariables().keySet().forEach(KubernetesServing::checkVariable);
        if (spec.secretVariables().containsKey(KubernetesServingObjects.TOKEN_KEY)) {
            throw AtelierException.invalidParameter("Variable '" + KubernetesServingObjects.TOKEN_KEY + "' is reserved for Atelier");
        }
    }

    private static void checkVariable(String variable) {
        if (!VARIABLE.matcher(variable).matches()) {
            throw AtelierException.invalidParameter("Invalid name '" + variable + "' in 'environment_variables': Kubernetes takes "
                    + "letters, digits, '_', '-' and '.', not starting with a digit");
        }
    }

    private static AtelierException refused(ComputeTarget target, String action, KubernetesServingRef ref, KubernetesClientException e) {
        String cause = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return AtelierException.invalidState("Kubernetes target '" + target.name() + "' could not " + action + " deployment '"
                + ref.deployment() + "' of endpoint '" + ref.endpoint() + "' (" + ref.objectName() + "): " + cause);
    }
}
