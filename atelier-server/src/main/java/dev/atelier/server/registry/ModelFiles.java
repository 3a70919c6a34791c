package dev.atelier.server.registry;

import static java.util.Objects.requireNonNull;

/**
 * Where a READY model version's files are: {@code path} relative to the workspace's artifact root
 * (read it through the artifact service), and the same place as the {@code mlflow-artifacts:} URI
 * MLflow clients download from through the artifact proxy.
 */
public record ModelFiles(ModelVersion version, String workspace, String path, String artifactUri) {
    public ModelFiles {
        requireNonNull(version, "version is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(path, "path is null");
        requireNonNull(artifactUri, "artifactUri is null");
    }
}
