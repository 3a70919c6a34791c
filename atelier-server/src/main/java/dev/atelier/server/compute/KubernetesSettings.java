package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonInclude;

import static java.util.Objects.requireNonNull;

/**
 * How a {@code kubernetes} target reaches its cluster and shapes its Jobs.
 *
 * @param namespace      namespace the Jobs are created in
 * @param kubeconfig     path of a kubeconfig file on the server host; empty means the client's defaults
 *                       ({@code KUBECONFIG}, {@code ~/.kube/config}, or the in-cluster service account)
 * @param context        kubeconfig context to use; empty means the file's current context
 * @param serverUrl      URL pods use to reach this server (snapshot download, MLflow tracking); empty means the
 *                       server's {@code --public-url}
 * @param fetchImage     image of the init container that downloads and unpacks the code snapshot (needs
 *                       {@code wget} and {@code unzip}, as busybox has)
 * @param cpu            default CPU request and limit of a job's container, such as {@code 500m}
 * @param memory         default memory request and limit, such as {@code 1Gi}
 * @param serviceAccount service account of the pods; empty means the namespace's default
 * @param serviceUrlTemplate where this server reaches an endpoint deployment's Service, with {@code {service}} and
 *                       {@code {namespace}} filled in; empty means {@link #DEFAULT_SERVICE_URL_TEMPLATE} (in-cluster DNS);
 *                       a server outside the cluster names its ingress or proxy here (docs/endpoints-kubernetes.md)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record KubernetesSettings(String namespace, String kubeconfig, String context, String serverUrl, String fetchImage,
                                 String cpu, String memory, String serviceAccount, String serviceUrlTemplate) {
    public static final String DEFAULT_FETCH_IMAGE = "busybox:1.36";
    public static final String DEFAULT_SERVICE_URL_TEMPLATE = "http://{service}.{namespace}.svc.cluster.local";

    public KubernetesSettings {
        requireNonNull(namespace, "namespace is null");
        kubeconfig = kubeconfig == null ? "" : kubeconfig;
        context = context == null ? "" : context;
        serverUrl = serverUrl == null ? "" : serverUrl;
        fetchImage = fetchImage == null || fetchImage.isBlank() ? DEFAULT_FETCH_IMAGE : fetchImage;
        cpu = cpu == null ? "" : cpu;
        memory = memory == null ? "" : memory;
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        serviceUrlTemplate = serviceUrlTemplate == null ? "" : serviceUrlTemplate;
    }

    /** Settings without a service URL template (jobs never need one). */
    public KubernetesSettings(String namespace, String kubeconfig, String context, String serverUrl, String fetchImage,
                              String cpu, String memory, String serviceAccount) {
        this(namespace, kubeconfig, context, serverUrl, fetchImage, cpu, memory, serviceAccount, "");
    }
}
