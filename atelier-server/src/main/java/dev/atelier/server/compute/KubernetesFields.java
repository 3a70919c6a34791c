package dev.atelier.server.compute;

import dev.atelier.api.AtelierException;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code kubernetes} object of the compute API, by wire name: reading a whole one (create) or the
 * fields a PATCH changes, and whether a change touches the connection. Fields that were removed
 * ({@code server_url}, {@code fetch_image}: now the server's {@code --public-url} and
 * {@code --kubernetes-fetch-image}) and unknown ones are refused, naming the field. Stateless.
 */
public final class KubernetesFields {
    private static final Map<String, String> REMOVED = Map.of(
            "server_url", "pods reach the server at its configured public URL (--public-url)",
            "fetch_image", "the download image is the server's --kubernetes-fetch-image",
            "kubeconfig_secret_version", "the server pins the secret's current version when 'kubeconfig_secret' is given",
            "registry_secret_version", "the server pins the secret's current version when 'registry_secret' is given");

    private KubernetesFields() {
    }

    /** Whether changing these fields changes where the target connects (unknown and removed names count as connection). */
    public static boolean changesConnection(Collection<String> fields) {
        return fields.stream().anyMatch(field -> !KubernetesSettings.SHAPE_FIELDS.contains(field));
    }

    /** Settings from a whole {@code kubernetes} object; {@code namespace} is required. */
    public static KubernetesSettings read(Map<String, String> fields) {
        check(fields);
        String namespace = fields.get("namespace");
        if (namespace == null || namespace.isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'kubernetes.namespace'");
        }
        return merge(new KubernetesSettings(namespace, "", "", "", "", ""), fields);
    }

    /**
     * {@code current} with the given fields replaced. Naming a kubeconfig file drops the kubeconfig secret and the
     * other way round, unless both are given.
     */
    public static KubernetesSettings merge(KubernetesSettings current, Map<String, String> fields) {
        check(fields);
        String kubeconfig = fields.getOrDefault("kubeconfig", current.kubeconfig());
        String secret = fields.getOrDefault("kubeconfig_secret", current.kubeconfigSecret());
        if (fields.containsKey("kubeconfig") && !fields.containsKey("kubeconfig_secret") && !kubeconfig.isEmpty()) {
            secret = "";
        }
        if (fields.containsKey("kubeconfig_secret") && !fields.containsKey("kubeconfig") && !secret.isEmpty()) {
            kubeconfig = "";
        }
        return new KubernetesSettings(fields.getOrDefault("namespace", current.namespace()), kubeconfig, secret,
                current.kubeconfigSecretVersion(), fields.getOrDefault("context", current.context()),
                fields.getOrDefault("cpu", current.cpu()), fields.getOrDefault("memory", current.memory()),
                fields.getOrDefault("service_account", current.serviceAccount()),
                fields.getOrDefault("service_url_template", current.serviceUrlTemplate()),
                fields.getOrDefault("registry", current.registry()), fields.getOrDefault("registry_secret", current.registrySecret()),
                current.registrySecretVersion());
    }

    private static void check(Map<String, String> fields) {
        for (String field : fields.keySet()) {
            if (REMOVED.containsKey(field)) {
                throw AtelierException.invalidParameter("Parameter 'kubernetes." + field + "' is no longer a field of a compute target: "
                        + REMOVED.get(field));
            }
            if (!KubernetesSettings.CONNECTION_FIELDS.contains(field) && !KubernetesSettings.SHAPE_FIELDS.contains(field)) {
                TreeSet<String> known = new TreeSet<>(KubernetesSettings.CONNECTION_FIELDS);
                known.addAll(KubernetesSettings.SHAPE_FIELDS);
                throw AtelierException.invalidParameter("Unknown parameter 'kubernetes." + field + "': expected one of " + known);
            }
        }
    }
}
