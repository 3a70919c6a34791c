package dev.atelier.server.jobs;

import java.util.Optional;

/** The folder of a run's artifacts inside its workspace's artifact store, from the run's {@code mlflow-artifacts:} URI. */
final class ArtifactRoot {
    private static final String SCHEME = "mlflow-artifacts:";

    private ArtifactRoot() {
    }

    /** Empty for URIs Atelier does not store (an experiment created with another artifact location). */
    static Optional<String> of(String artifactUri) {
        if (!artifactUri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = artifactUri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return Optional.of(rest.replaceAll("^/+", "")).filter(root -> !root.isEmpty());
    }
}
