package dev.atelier.server.compute.kubernetes;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.KubernetesSettings;
import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.compute.WorkloadId;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The {@code kubernetes} target's services: creates or replaces a service workload's ConfigMap, Secret, Deployment
 * and Service ({@link KubernetesServiceObjects}), reads where it stands, reads its pods' logs and deletes it all. A
 * change of image, files, variables or replicas is the Deployment's own rolling update (maxUnavailable 0): old pods
 * serve until new ones are ready; the platform restarts failing pods (probes on the spec's health path). Pods
 * download from the server's public URL only. Thread-safe; one client per workspace and target settings
 * ({@link KubernetesConnections}), kept until {@link #close()}.
 */
final class KubernetesServices implements AutoCloseable {
    private static final Pattern VARIABLE = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final KubernetesConnections connections;
    private final Supplier<String> publicUrl;
    private final Map<ClientKey, KubernetesClient> clients = new ConcurrentHashMap<>();

    /** @param publicUrl the server's URL as pods reach it ({@code --public-url}, else the URL it listens on) */
    KubernetesServices(KubernetesConnections connections, Supplier<String> publicUrl) {
        this.connections = requireNonNull(connections, "connections is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
    }

    /**
     * Creates the service's objects, or replaces them when they exist. Everything is checked before anything is
     * written.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a variable name Kubernetes refuses, a variable both plain
     *                          and secret, files without a remote form or outside their folder, no image, a target that
     *                          is not kubernetes, a service URL template that gives no http(s) URL;
     *                          INVALID_STATE when the cluster refuses an object or cannot be reached
     */
    ServiceHandle serve(ComputeTarget target, ServiceSpec spec) {
        KubernetesSettings settings = settings(target);
        checkVariables(spec);
        String url = ServiceUrl.of(settings, spec.id(), spec.tags());
        if (spec.image().isEmpty() || spec.image().get().isBlank()) {
            throw AtelierException.invalidParameter("A service on Kubernetes target '" + target.name() + "' needs an image environment");
        }
        for (ServiceFiles files : spec.files()) {
            if (files.remote().isEmpty() && files.kept().isEmpty()) {
                throw AtelierException.invalidParameter("Kubernetes target '" + target.name() + "' cannot serve " + spec.id().describe()
                        + ": its files '" + files.name() + "' are only on the server's host");
            }
        }
        String serverUrl = Optional.ofNullable(publicUrl.get()).orElse("");
        if (serverUrl.isBlank() && ServiceFetchScript.needed(spec)) {
            throw AtelierException.invalidState("Pods on Kubernetes target '" + target.name() + "' need the server's URL to download "
                    + "their files: set the server's --public-url");
        }
        ConfigMap configMap = KubernetesServiceObjects.configMap(spec);
        Secret secret = KubernetesServiceObjects.secret(spec);
        Service service = KubernetesServiceObjects.service(spec);
        Deployment deployment = KubernetesServiceObjects.deployment(spec, settings, serverUrl.replaceAll("/+$", ""),
                connections.fetchImage());
        KubernetesClient client = client(spec.id().workspace(), settings);
        String namespace = settings.namespace();
        try {
            for (PersistentVolumeClaim claim : KubernetesServiceObjects.claims(spec)) {
                // created once, never updated nor deleted here: it holds the files of every later workload of its key
                if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim.getMetadata().getName()).get() == null) {
                    client.persistentVolumeClaims().inNamespace(namespace).resource(claim).create();
                }
            }
            client.configMaps().inNamespace(namespace).resource(configMap).createOr(NonDeletingOperation::update);
            client.secrets().inNamespace(namespace).resource(secret).createOr(NonDeletingOperation::update);
            client.services().inNamespace(namespace).resource(service).createOr(NonDeletingOperation::update);
            client.apps().deployments().inNamespace(namespace).resource(deployment).createOr(NonDeletingOperation::update);
        } catch (KubernetesClientException e) {
            throw refused(target, "apply", spec.id(), e);
        }
        return new Handle(target, spec.id(), url);
    }

    /** Where the service stands: ready pods against the replicas, and why pods fail when they do. */
    ServiceStatus status(ComputeTarget target, WorkloadId id) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(id.workspace(), settings);
        String name = ServiceNames.objectName(id);
        try {
            Deployment deployment = client.apps().deployments().inNamespace(settings.namespace()).withName(name).get();
            if (deployment == null) {
                return ServiceStatus.missing("The Kubernetes Deployment " + settings.namespace() + "/" + name);
            }
            return KubernetesServiceStatus.read(deployment, pods(client, settings, id));
        } catch (KubernetesClientException e) {
            throw refused(target, "read", id, e);
        }
    }

    /** Deletes the service's Deployment (and so its pods), Service, Secret and ConfigMap; missing ones are skipped. */
    void delete(ComputeTarget target, WorkloadId id) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(id.workspace(), settings);
        String namespace = settings.namespace();
        String name = ServiceNames.objectName(id);
        try {
            client.apps().deployments().inNamespace(namespace).withName(name).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            client.services().inNamespace(namespace).withName(name).delete();
            client.secrets().inNamespace(namespace).withName(name).delete();
            client.configMaps().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            throw refused(target, "delete", id, e);
        }
    }

    /**
     * The last {@code tail} lines of the service's pods, each line prefixed with {@code [<pod>]}: per pod (oldest
     * first), its download step's lines, then the main container's. A pod whose logs cannot be read yet gives one
     * line saying why.
     */
    List<String> logs(ComputeTarget target, WorkloadId id, int tail) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(id.workspace(), settings);
        List<String> lines = new ArrayList<>();
        try {
            for (Pod pod : pods(client, settings, id)) {
                String podName = pod.getMetadata().getName();
                for (String container : List.of(KubernetesServiceObjects.FETCH_CONTAINER, KubernetesServiceObjects.MAIN_CONTAINER)) {
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
            throw refused(target, "read the logs of", id, e);
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - Math.max(0, tail)), lines.size()));
    }

    /** Deletes the {@code replica}-th pod (by age, then name), which the Deployment replaces. */
    void restart(ComputeTarget target, WorkloadId id, int replica) {
        KubernetesSettings settings = settings(target);
        KubernetesClient client = client(id.workspace(), settings);
        try {
            List<Pod> pods = pods(client, settings, id);
            if (replica >= 0 && replica < pods.size()) {
                client.pods().inNamespace(settings.namespace()).resource(pods.get(replica)).delete();
            }
        } catch (KubernetesClientException e) {
            throw refused(target, "restart a pod of", id, e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
    }

    /** A service as this server sees it; stopping it leaves the objects (other server replicas may serve them). */
    private final class Handle implements ServiceHandle {
        private final ComputeTarget target;
        private final WorkloadId id;
        private final String url;

        Handle(ComputeTarget target, WorkloadId id, String url) {
            this.target = target;
            this.id = id;
            this.url = url;
        }

        @Override
        public WorkloadId id() {
            return id;
        }

        @Override
        public ServiceStatus status() {
            return KubernetesServices.this.status(target, id);
        }

        @Override
        public Optional<String> address() {
            return Optional.of(url);
        }

        @Override
        public List<String> logs(int tail) {
            return KubernetesServices.this.logs(target, id, tail);
        }

        @Override
        public void restart(int replica) {
            KubernetesServices.this.restart(target, id, replica);
        }

        @Override
        public void stop() {
        }
    }

    private static List<Pod> pods(KubernetesClient client, KubernetesSettings settings, WorkloadId id) {
        return client.pods().inNamespace(settings.namespace()).withLabels(ServiceNames.selector(id)).list().getItems().stream()
                .sorted(Comparator.comparing((Pod pod) -> String.valueOf(pod.getMetadata().getCreationTimestamp()))
                        .thenComparing(pod -> pod.getMetadata().getName()))
                .toList();
    }

    private KubernetesClient client(String workspace, KubernetesSettings settings) {
        return clients.computeIfAbsent(new ClientKey(workspace, settings),
                key -> connections.client(workspace, settings, "kubernetes-services"));
    }

    private record ClientKey(String workspace, KubernetesSettings settings) {
    }

    private static KubernetesSettings settings(ComputeTarget target) {
        return target.kubernetes().orElseThrow(() -> AtelierException.invalidParameter(
                "Compute target '" + target.name() + "' is not a kubernetes target"));
    }

    private static void checkVariables(ServiceSpec spec) {
        for (String variable : spec.variables().keySet()) {
            checkVariable(variable);
            if (spec.secretVariables().containsKey(variable)) {
                throw AtelierException.invalidParameter("Variable '" + variable + "' of 'environment_variables' is given both plain and secret");
            }
        }
        spec.secretVariables().keySet().forEach(KubernetesServices::checkVariable);
        if (spec.secretVariables().containsKey(KubernetesServiceObjects.TOKEN_KEY)) {
            throw AtelierException.invalidParameter("Variable '" + KubernetesServiceObjects.TOKEN_KEY + "' is reserved for Atelier");
        }
    }

    private static void checkVariable(String variable) {
        if (!VARIABLE.matcher(variable).matches()) {
            throw AtelierException.invalidParameter("Invalid name '" + variable + "' in 'environment_variables': Kubernetes takes "
                    + "letters, digits, '_', '-' and '.', not starting with a digit");
        }
    }

    private static AtelierException refused(ComputeTarget target, String action, WorkloadId id, KubernetesClientException e) {
        String cause = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return AtelierException.invalidState("Kubernetes target '" + target.name() + "' could not " + action + " " + id.describe()
                + " (" + ServiceNames.objectName(id) + "): " + cause);
    }
}
