package dev.atelier.server.compute;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.LocalSettings;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Rules of compute targets. Every workspace has the built-in {@code local} target, whose
 * concurrency comes from the server's configuration; the others are created (and their connection
 * changed) by holders of {@code MANAGE_COMPUTE_CONNECTION}, their capacity and pod defaults changed
 * and the targets deleted by holders of {@code MANAGE_COMPUTE}; the routes declare which.
 * Thread-safe.
 */
public final class ComputeService {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");
    static final int MAX_CONCURRENT_JOBS = 1000;

    private final ComputeStore store;
    private final KubernetesConnections kubernetes;
    private final int localMaxConcurrentJobs;
    private final LocalSettings localSettings;
    private final Clock clock;

    /** @param localSettings what the {@code local} target shows of its sandbox and limits */
    public ComputeService(ComputeStore store, KubernetesConnections kubernetes, int localMaxConcurrentJobs, LocalSettings localSettings,
                          Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.kubernetes = requireNonNull(kubernetes, "kubernetes is null");
        this.localSettings = requireNonNull(localSettings, "localSettings is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (localMaxConcurrentJobs < 1) {
            throw new IllegalArgumentException("localMaxConcurrentJobs must be positive: " + localMaxConcurrentJobs);
        }
        this.localMaxConcurrentJobs = localMaxConcurrentJobs;
    }

    /** The built-in target: processes on this server's host. */
    public ComputeTarget local() {
        return new ComputeTarget(ComputeTarget.LOCAL, ComputeKind.LOCAL, localMaxConcurrentJobs, Optional.empty(),
                "Sandboxed processes on the Atelier server's own host", 0, 0, true, Optional.of(localSettings));
    }

    /** Creates a {@code kubernetes} target; the name {@code local} and existing names are refused. */
    public ComputeTarget create(String workspace, String name, ComputeKind kind, Optional<Integer> maxConcurrentJobs,
                                Optional<KubernetesSettings> kubernetes, Optional<String> description) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'name': use 1 to 32 lowercase "
                    + "letters, digits or '-', starting and ending with a letter or digit");
        }
        if (name.equals(ComputeTarget.LOCAL) || kind == ComputeKind.LOCAL) {
            throw AtelierException.invalidParameter("The 'local' target is built in; its concurrency is set with the server's "
                    + "--local-max-jobs option");
        }
        KubernetesSettings settings = this.kubernetes.checked(workspace, checkKubernetes(kubernetes));
        long now = clock.millis();
        ComputeTarget target = new ComputeTarget(name, kind, checkMax(maxConcurrentJobs.orElse(4)), Optional.of(settings),
                description.orElse(""), now, now, false);
        if (!store.create(workspace, target)) {
            throw AtelierException.alreadyExists("Compute target '" + name + "' already exists in workspace '" + workspace + "'");
        }
        return target;
    }

    /**
     * Changes the given fields of a created target; {@code kubernetes} holds the changed Kubernetes fields by wire
     * name ({@link KubernetesFields}). A change of a connection field checks the connection again and pins the
     * kubeconfig secret's current version.
     */
    public ComputeTarget update(String workspace, String name, Optional<Integer> maxConcurrentJobs, Map<String, String> kubernetes,
                                Optional<String> description) {
        ComputeTarget current = changeable(workspace, name);
        KubernetesSettings settings = current.kubernetes().orElseThrow();
        if (!kubernetes.isEmpty()) {
            KubernetesSettings merged = checkKubernetes(Optional.of(KubernetesFields.merge(settings, kubernetes)));
            settings = KubernetesFields.changesConnection(kubernetes.keySet()) ? this.kubernetes.checked(workspace, merged) : merged;
        }
        ComputeTarget updated = new ComputeTarget(name, current.kind(), checkMax(maxConcurrentJobs.orElse(current.maxConcurrentJobs())),
                Optional.of(settings), description.orElse(current.description()), current.createdAt(), clock.millis(), false);
        if (!store.update(workspace, updated)) {
            throw notFound(workspace, name);
        }
        return updated;
    }

    /** How the server connects to kubernetes targets, for the jobs and serving domains. */
    public KubernetesConnections kubernetes() {
        return kubernetes;
    }

    public void delete(String workspace, String name) {
        changeable(workspace, name);
        if (!store.delete(workspace, name)) {
            throw notFound(workspace, name);
        }
    }

    public List<ComputeTarget> list(String workspace) {
        List<ComputeTarget> targets = new ArrayList<>();
        targets.add(local());
        targets.addAll(store.list(workspace));
        return targets;
    }

    /** The target of that name; RESOURCE_DOES_NOT_EXIST when there is none. */
    public ComputeTarget get(String workspace, String name) {
        if (ComputeTarget.LOCAL.equals(name)) {
            return local();
        }
        return store.get(workspace, name).orElseThrow(() -> notFound(workspace, name));
    }

    private ComputeTarget changeable(String workspace, String name) {
        if (ComputeTarget.LOCAL.equals(name)) {
            throw AtelierException.invalidParameter("The 'local' target is built in and cannot be changed or deleted; "
                    + "its concurrency is set with the server's --local-max-jobs option");
        }
        return get(workspace, name);
    }

    private static int checkMax(int max) {
        if (max < 1 || max > MAX_CONCURRENT_JOBS) {
            throw AtelierException.invalidParameter("Invalid value " + max + " for parameter 'max_concurrent_jobs': use 1 to "
                    + MAX_CONCURRENT_JOBS);
        }
        return max;
    }

    private static KubernetesSettings checkKubernetes(Optional<KubernetesSettings> kubernetes) {
        KubernetesSettings settings = kubernetes.orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required parameter 'kubernetes' (at least its 'namespace')"));
        if (!NAME.matcher(settings.namespace()).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + settings.namespace() + "' for parameter 'kubernetes.namespace'");
        }
        checkQuantity("kubernetes.cpu", settings.cpu());
        checkQuantity("kubernetes.memory", settings.memory());
        return settings;
    }

    static void checkQuantity(String field, String quantity) {
        if (!quantity.isEmpty() && !QUANTITY.matcher(quantity).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + quantity + "' for parameter '" + field
                    + "': expected a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi");
        }
    }

    private static AtelierException notFound(String workspace, String name) {
        return AtelierException.notFound("Compute target '" + name + "' does not exist in workspace '" + workspace + "'");
    }
}
