package dev.atelier.server.tracking;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.FileInfo;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The artifacts of runs and experiments, reached through the artifact domain. Only
 * {@code mlflow-artifacts:} URIs are stored by Atelier; an experiment created with another
 * artifact location keeps its files where the client put them, and Atelier neither lists nor
 * deletes them. Thread-safe.
 */
public final class RunArtifacts {
    private static final String SCHEME = "mlflow-artifacts:";

    private final ArtifactService artifacts;

    public RunArtifacts(ArtifactService artifacts) {
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    /** The path under the workspace's artifact root that an {@code mlflow-artifacts:} URI names. */
    static Optional<String> relativeRoot(String artifactUri) {
        if (!artifactUri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = artifactUri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return Optional.of(rest);
    }

    /** Lists one folder of a run's artifacts; entry paths are relative to the run's artifact root, as MLflow answers. */
    List<FileInfo> list(String workspace, String artifactUri, String path) {
        Optional<String> root = relativeRoot(artifactUri);
        if (root.isEmpty()) {
            return List.of();
        }
        String folder = path.isEmpty() ? root.get() : root.get() + "/" + path;
        String prefix = path.isEmpty() ? "" : path.replaceAll("/+$", "") + "/";
        return artifacts.list(workspace, folder).stream()
                .map(file -> new FileInfo(prefix + file.path(), file.isDir(), file.fileSize()))
                .toList();
    }

    /** Opens one file of a run's artifacts; RESOURCE_DOES_NOT_EXIST when it is absent or stored outside Atelier. */
    dev.atelier.server.artifacts.ArtifactContent open(String workspace, String artifactUri, String path) {
        String root = relativeRoot(artifactUri).orElseThrow(() -> dev.atelier.api.AtelierException.notFound(
                "The artifacts of this run are stored outside Atelier, at " + artifactUri));
        return artifacts.open(workspace, root + "/" + path);
    }

    /** Deletes what Atelier stores under the URI; returns the bytes freed (0 for URIs it does not store). */
    long remove(String workspace, String artifactUri) {
        return relativeRoot(artifactUri).filter(root -> !root.isEmpty())
                .map(root -> artifacts.deletePrefix(workspace, root))
                .orElse(0L);
    }
}
