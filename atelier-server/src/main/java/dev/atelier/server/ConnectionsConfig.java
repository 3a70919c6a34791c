package dev.atelier.server;

import dev.atelier.server.data.EndpointAllowList;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where workspaces may make the server and its workloads connect: settings only the server's operator
 * chooses, never a workspace role (docs/security.md, "Compute targets, job bindings and datastores").
 *
 * @param kubernetesFetchImage image of the init container that downloads code and models into pods on
 *                             Kubernetes targets ({@code --kubernetes-fetch-image}; needs {@code wget} and {@code unzip})
 * @param kubeconfigDir        folder whose files Kubernetes targets may name as their kubeconfig
 *                             ({@code --kubeconfig-dir}); empty means targets may only use a workspace secret or the
 *                             server's own default configuration
 * @param datastoreEndpoints   S3 datastore endpoints allowed on non-public addresses ({@code ATELIER_DATASTORE_ENDPOINT_ALLOW})
 * @param webhookEndpoints     MLflow webhook URLs allowed on non-public addresses ({@code ATELIER_WEBHOOK_ENDPOINT_ALLOW})
 */
public record ConnectionsConfig(String kubernetesFetchImage, Optional<Path> kubeconfigDir, EndpointAllowList datastoreEndpoints,
                                EndpointAllowList webhookEndpoints) {
    public static final String DEFAULT_KUBERNETES_FETCH_IMAGE = "busybox:1.36-uclibc";
    public static final ConnectionsConfig DEFAULTS = new ConnectionsConfig(DEFAULT_KUBERNETES_FETCH_IMAGE, Optional.empty(),
            EndpointAllowList.NONE, EndpointAllowList.NONE.namedAs(EndpointAllowList.WEBHOOK_VARIABLE));

    public ConnectionsConfig {
        requireNonNull(kubernetesFetchImage, "kubernetesFetchImage is null");
        requireNonNull(kubeconfigDir, "kubeconfigDir is null");
        requireNonNull(datastoreEndpoints, "datastoreEndpoints is null");
        requireNonNull(webhookEndpoints, "webhookEndpoints is null");
        if (kubernetesFetchImage.isBlank()) {
            throw new IllegalArgumentException("kubernetesFetchImage is blank");
        }
        kubeconfigDir = kubeconfigDir.map(dir -> dir.toAbsolutePath().normalize());
    }

    public ConnectionsConfig withKubernetesFetchImage(String image) {
        return new ConnectionsConfig(image, kubeconfigDir, datastoreEndpoints, webhookEndpoints);
    }

    public ConnectionsConfig withKubeconfigDir(Path dir) {
        return new ConnectionsConfig(kubernetesFetchImage, Optional.of(dir), datastoreEndpoints, webhookEndpoints);
    }

    public ConnectionsConfig withDatastoreEndpoints(EndpointAllowList allowed) {
        return new ConnectionsConfig(kubernetesFetchImage, kubeconfigDir, allowed, webhookEndpoints);
    }

    public ConnectionsConfig withWebhookEndpoints(EndpointAllowList allowed) {
        return new ConnectionsConfig(kubernetesFetchImage, kubeconfigDir, datastoreEndpoints, allowed);
    }
}
