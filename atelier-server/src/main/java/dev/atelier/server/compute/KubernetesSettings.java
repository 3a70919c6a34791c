package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * How a {@code kubernetes} target reaches its cluster and shapes its pods. Where pods call back
 * (the server's {@code --public-url}) and the image that downloads code into them
 * ({@code --kubernetes-fetch-image}) are the server's configuration, never a target's: a target must
 * not be able to send a job's token anywhere else.
 *
 * <p>The <em>connection</em> fields ({@link #CONNECTION_FIELDS}) decide which cluster, namespace and
 * identity a workspace's jobs and deployments reach; changing them needs
 * {@code MANAGE_COMPUTE_CONNECTION} (Owner). {@code cpu} and {@code memory} only shape pods
 * ({@code MANAGE_COMPUTE}).
 *
 * @param namespace               namespace the Jobs and Deployments are created in
 * @param kubeconfig              a kubeconfig file inside the server's {@code --kubeconfig-dir}, relative to it
 * @param kubeconfigSecret        a workspace secret whose value is the kubeconfig text (no {@code exec},
 *                                {@code auth-provider} or file references)
 * @param kubeconfigSecretVersion the version of {@code kubeconfigSecret} pinned when the target was created or its
 *                                connection changed, so that a later value of the secret is used only once an Owner
 *                                names it again; 0 without a secret
 * @param context                 kubeconfig context to use; empty means the kubeconfig's current context.
 *                                Without {@code kubeconfig} and {@code kubeconfigSecret} the server's own default
 *                                configuration is used ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster)
 * @param cpu                     default CPU request and limit of a pod's container, such as {@code 500m}
 * @param memory                  default memory request and limit, such as {@code 1Gi}
 * @param serviceAccount          service account of the pods; empty means the namespace's default
 * @param serviceUrlTemplate      where this server reaches an endpoint deployment's Service, with {@code {service}} and
 *                                {@code {namespace}} filled in; empty means {@link #DEFAULT_SERVICE_URL_TEMPLATE} (in-cluster
 *                                DNS); a server outside the cluster names its ingress or proxy here (docs/endpoints-kubernetes.md)
 * @param registry                where images built for this target's {@code build} environments are pushed, such as
 *                                {@code registry.example:5000/team}; empty means such environments are refused here
 * @param registrySecret          a workspace secret holding a docker {@code config.json} for {@code registry} (handed to the
 *                                build pod only); empty means the registry takes anonymous pushes
 * @param registrySecretVersion   the version of {@code registrySecret} pinned as {@code kubeconfigSecretVersion} is; 0 without one
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KubernetesSettings(String namespace, String kubeconfig, String kubeconfigSecret,
                                 @JsonInclude(JsonInclude.Include.NON_DEFAULT) int kubeconfigSecretVersion, String context,
                                 String cpu, String memory, String serviceAccount, String serviceUrlTemplate, String registry,
                                 String registrySecret, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int registrySecretVersion) {
    public static final String DEFAULT_SERVICE_URL_TEMPLATE = "http://{service}.{namespace}.svc.cluster.local";
    /** Wire names of the fields that decide where a target connects (the rest only shape pods). */
    public static final Set<String> CONNECTION_FIELDS = Set.of("namespace", "kubeconfig", "kubeconfig_secret", "context",
            "service_account", "service_url_template", "registry", "registry_secret");
    /** Wire names of the fields a Compute Operator may change. */
    public static final Set<String> SHAPE_FIELDS = Set.of("cpu", "memory");

    public KubernetesSettings {
        requireNonNull(namespace, "namespace is null");
        kubeconfig = kubeconfig == null ? "" : kubeconfig;
        kubeconfigSecret = kubeconfigSecret == null ? "" : kubeconfigSecret;
        context = context == null ? "" : context;
        cpu = cpu == null ? "" : cpu;
        memory = memory == null ? "" : memory;
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        serviceUrlTemplate = serviceUrlTemplate == null ? "" : serviceUrlTemplate;
        registry = registry == null ? "" : registry;
        registrySecret = registrySecret == null ? "" : registrySecret;
    }

    /** Settings without a registry to push built images to. */
    public KubernetesSettings(String namespace, String kubeconfig, String kubeconfigSecret, int kubeconfigSecretVersion, String context,
                              String cpu, String memory, String serviceAccount, String serviceUrlTemplate) {
        this(namespace, kubeconfig, kubeconfigSecret, kubeconfigSecretVersion, context, cpu, memory, serviceAccount, serviceUrlTemplate,
                "", "", 0);
    }

    /** Settings naming a kubeconfig file (or none) and no service URL template. */
    public KubernetesSettings(String namespace, String kubeconfig, String context, String cpu, String memory, String serviceAccount) {
        this(namespace, kubeconfig, "", 0, context, cpu, memory, serviceAccount, "");
    }

    /** The same connection with other pod defaults. */
    public KubernetesSettings withShape(String newCpu, String newMemory) {
        return new KubernetesSettings(namespace, kubeconfig, kubeconfigSecret, kubeconfigSecretVersion, context, newCpu, newMemory,
                serviceAccount, serviceUrlTemplate, registry, registrySecret, registrySecretVersion);
    }

    KubernetesSettings withSecretVersion(int version) {
        return new KubernetesSettings(namespace, kubeconfig, kubeconfigSecret, version, context, cpu, memory, serviceAccount,
                serviceUrlTemplate, registry, registrySecret, registrySecretVersion);
    }

    KubernetesSettings withRegistrySecretVersion(int version) {
        return new KubernetesSettings(namespace, kubeconfig, kubeconfigSecret, kubeconfigSecretVersion, context, cpu, memory,
                serviceAccount, serviceUrlTemplate, registry, registrySecret, version);
    }
}
