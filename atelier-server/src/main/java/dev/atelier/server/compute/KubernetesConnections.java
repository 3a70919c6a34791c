package dev.atelier.server.compute;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.secrets.SecretService;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * How the server connects to the cluster of a {@code kubernetes} target, for jobs and deployments alike.
 * A target's kubeconfig is either a file inside the folder the operator configured
 * ({@code --kubeconfig-dir}; no {@code ..}, no absolute path outside it, no symbolic link leading out)
 * or a workspace secret holding the kubeconfig text, pinned to the version current when an Owner named
 * it. A secret's kubeconfig may not run commands on the server or read its files: {@code exec},
 * {@code auth-provider} and file references ({@code client-certificate}, {@code tokenFile}, ...) are
 * refused. Without either the server's own default configuration is used ({@code KUBECONFIG},
 * {@code ~/.kube/config}, the in-cluster service account). Also checks and reads a target's registry secret (a docker
 * {@code config.json} for image builds, pinned the same way) and holds the server's fetch image.
 * Thread-safe.
 */
public final class KubernetesConnections {
    /** Keys of a kubeconfig that make the client run a program or read a file of the server. */
    private static final Set<String> REFUSED_KEYS = Set.of("exec", "auth-provider", "client-certificate", "client-key",
            "certificate-authority", "tokenFile", "token-file");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A registry host (with an optional port) and an optional path of lower-case components. */
    private static final Pattern REGISTRY = Pattern.compile(
            "[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*){0,8}");

    private final Optional<Path> kubeconfigDir;
    private final String fetchImage;
    private final Optional<SecretService> secrets;

    /**
     * @param kubeconfigDir the folder whose files targets may name; empty means none may
     * @param fetchImage    image of the init container that downloads code and models into pods
     * @param secrets       the vault holding kubeconfig secrets; empty refuses them (tests of one domain)
     */
    public KubernetesConnections(Optional<Path> kubeconfigDir, String fetchImage, Optional<SecretService> secrets) {
        this.kubeconfigDir = requireNonNull(kubeconfigDir, "kubeconfigDir is null").map(dir -> dir.toAbsolutePath().normalize());
        this.fetchImage = requireNonNull(fetchImage, "fetchImage is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** The image of every pod's download step (needs {@code wget} and {@code unzip}, as busybox has). */
    public String fetchImage() {
        return fetchImage;
    }

    /**
     * Checks the connection fields of settings an Owner gives and pins the secret's current version.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the field: a kubeconfig outside the folder, or both a
     *                          kubeconfig and a secret, a missing secret, a secret whose kubeconfig is refused
     */
    KubernetesSettings checked(String workspace, KubernetesSettings settings) {
        return checkedRegistry(workspace, checkedKubeconfig(workspace, settings));
    }

    /**
     * Checks {@code registry} (a registry host with an optional path, no tag) and pins {@code registry_secret}, which must
     * hold a docker {@code config.json} (a JSON object with {@code auths}).
     */
    private KubernetesSettings checkedRegistry(String workspace, KubernetesSettings settings) {
        if (!settings.registry().isEmpty() && !REGISTRY.matcher(settings.registry()).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + settings.registry() + "' for parameter 'kubernetes.registry': "
                    + "expected a registry host and optional path, such as registry.example:5000/team (no tag, no scheme)");
        }
        if (settings.registrySecret().isEmpty()) {
            return settings.withRegistrySecretVersion(0);
        }
        if (settings.registry().isEmpty()) {
            throw AtelierException.invalidParameter("Parameter 'kubernetes.registry_secret' needs 'kubernetes.registry': the registry "
                    + "its credentials are for");
        }
        KubernetesSettings pinned = settings.withRegistrySecretVersion(pinnedVersion(workspace, settings.registrySecret(),
                "kubernetes.registry_secret"));
        JsonNode config;
        try {
            config = JSON.readTree(registryConfig(workspace, pinned, "compute"));
        } catch (JacksonException e) {
            config = null;
        }
        if (config == null || !config.isObject() || !config.path("auths").isObject()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'kubernetes.registry_secret': the secret does not "
                    + "hold a docker config.json (a JSON object with 'auths')");
        }
        return pinned;
    }

    /**
     * The docker {@code config.json} of a target's registry secret, at its pinned version (audited as read by
     * {@code requester}); only ever handed to an image build's pod.
     */
    public String registryConfig(String workspace, KubernetesSettings settings, String requester) {
        return vault().resolve(workspace, settings.registrySecret(), OptionalInt.of(settings.registrySecretVersion()), requester);
    }

    private int pinnedVersion(String workspace, String secret, String field) {
        try {
            return vault().get(workspace, secret).version();
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw AtelierException.invalidParameter("Invalid value '" + secret + "' for parameter '" + field + "': workspace '"
                        + workspace + "' has no such secret");
            }
            throw e;
        }
    }

    private KubernetesSettings checkedKubeconfig(String workspace, KubernetesSettings settings) {
        if (!settings.kubeconfig().isEmpty() && !settings.kubeconfigSecret().isEmpty()) {
            throw AtelierException.invalidParameter("Give 'kubernetes.kubeconfig' or 'kubernetes.kubeconfig_secret', not both");
        }
        if (!settings.kubeconfig().isEmpty()) {
            kubeconfigFile(settings.kubeconfig());
            return settings.withSecretVersion(0);
        }
        if (!settings.kubeconfigSecret().isEmpty()) {
            int version = pinnedVersion(workspace, settings.kubeconfigSecret(), "kubernetes.kubeconfig_secret");
            KubernetesSettings pinned = settings.withSecretVersion(version);
            checkKubeconfigText(secretText(workspace, pinned, "compute"));
            return pinned;
        }
        return settings.withSecretVersion(0);
    }

    /**
     * A client for a target's cluster; the caller closes it.
     *
     * @param requester who reads the kubeconfig secret, for the audit log ({@code job:<name>}, ...)
     * @throws AtelierException INVALID_PARAMETER_VALUE when the kubeconfig is no longer allowed (the folder changed, the
     *                          file moved out of it)
     */
    public KubernetesClient client(String workspace, KubernetesSettings settings, String requester) {
        return new KubernetesClientBuilder().withConfig(config(workspace, settings, requester)).build();
    }

    Config config(String workspace, KubernetesSettings settings, String requester) {
        String context = settings.context().isEmpty() ? null : settings.context();
        if (!settings.kubeconfigSecret().isEmpty()) {
            ObjectNode kubeconfig = checkKubeconfigText(secretText(workspace, settings, requester));
            if (context != null) {
                kubeconfig.put("current-context", context);
            }
            try {
                return Config.fromKubeconfig(YAML.writeValueAsString(kubeconfig));
            } catch (JacksonException e) {
                throw new IllegalStateException("A parsed kubeconfig could not be written again", e);
            }
        }
        if (!settings.kubeconfig().isEmpty()) {
            return Config.fromKubeconfig(context, kubeconfigFile(settings.kubeconfig()).toFile());
        }
        return Config.autoConfigure(context);
    }

    /** The file a target names, confined to the kubeconfig folder (checked again through symbolic links). */
    Path kubeconfigFile(String name) {
        Path dir = kubeconfigDir.orElseThrow(() -> AtelierException.invalidParameter("Invalid value '" + name
                + "' for parameter 'kubernetes.kubeconfig': this server takes kubeconfig files only from a folder its operator "
                + "names with --kubeconfig-dir, and none was given; use 'kubernetes.kubeconfig_secret' instead"));
        Path requested = Path.of(name);
        Path file = dir.resolve(requested).normalize();
        boolean inside = file.startsWith(dir) && !file.equals(dir);
        for (Path part : requested) {
            inside &= !part.toString().equals("..");
        }
        if (!inside) {
            throw outside(name, dir);
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(dir.toRealPath()) || !Files.isRegularFile(real)) {
                throw outside(name, dir);
            }
            return real;
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'kubernetes.kubeconfig': no such file in "
                    + "the kubeconfig folder");
        }
    }

    private static AtelierException outside(String name, Path dir) {
        return AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'kubernetes.kubeconfig': a kubeconfig "
                + "must be a file inside the server's kubeconfig folder " + dir + ", named relative to it");
    }

    private String secretText(String workspace, KubernetesSettings settings, String requester) {
        return vault().resolve(workspace, settings.kubeconfigSecret(), OptionalInt.of(settings.kubeconfigSecretVersion()), requester);
    }

    private SecretService vault() {
        return secrets.orElseThrow(() -> AtelierException.invalidParameter("This server keeps no secrets for "
                + "'kubernetes.kubeconfig_secret' or 'kubernetes.registry_secret'"));
    }

    private static ObjectNode checkKubeconfigText(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'kubernetes.kubeconfig_secret': the secret does not "
                    + "hold a kubeconfig (YAML): " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.has("clusters")) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'kubernetes.kubeconfig_secret': the secret does not "
                    + "hold a kubeconfig (no 'clusters')");
        }
        refuseKeys(root);
        return (ObjectNode) root;
    }

    private static void refuseKeys(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (REFUSED_KEYS.contains(field.getKey())) {
                    throw AtelierException.invalidParameter("Invalid value for parameter 'kubernetes.kubeconfig_secret': a kubeconfig "
                            + "kept in a secret may not use '" + field.getKey() + "' (it would run a program or read a file on the "
                            + "server); embed the credentials (token, client-certificate-data) or use --kubeconfig-dir");
                }
                refuseKeys(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(KubernetesConnections::refuseKeys);
        }
    }
}
