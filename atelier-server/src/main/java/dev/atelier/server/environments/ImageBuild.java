package dev.atelier.server.environments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import static java.util.Objects.requireNonNull;

/**
 * How an {@code image} environment's image is built (Azure ML's {@code build:}, docs/jobs.md "Environments that
 * build"): the build context is a code snapshot of the workspace (the CLI uploads {@code build.path}), and the
 * Dockerfile a relative path inside it. A Kubernetes target builds it with BuildKit and pushes it to its registry.
 *
 * @param contextSnapshot the snapshot id of the build context (on the wire {@code snapshot:<id>})
 * @param dockerfilePath  the Dockerfile, relative to the context, such as {@code Dockerfile}
 */
public record ImageBuild(@JsonIgnore String contextSnapshot, @JsonProperty("dockerfile_path") String dockerfilePath) {
    /** How the wire names a snapshot as a build context. */
    public static final String SNAPSHOT_PREFIX = "snapshot:";

    public ImageBuild {
        requireNonNull(contextSnapshot, "contextSnapshot is null");
        requireNonNull(dockerfilePath, "dockerfilePath is null");
    }

    @JsonProperty("context")
    String context() {
        return SNAPSHOT_PREFIX + contextSnapshot;
    }
}
