package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A compute target. {@code kubernetes} is present exactly for the {@code kubernetes} kind.
 *
 * @param maxConcurrentJobs jobs running at once on this target (for {@code local}: per server process); more wait, first in first out
 * @param builtIn           the {@code local} target, which every workspace has and which cannot be changed through the API
 */
public record ComputeTarget(String name, ComputeKind kind, int maxConcurrentJobs, @JsonIgnore Optional<KubernetesSettings> kubernetes,
                            String description, long createdAt, long updatedAt, boolean builtIn) {
    public static final String LOCAL = "local";

    public ComputeTarget {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(kubernetes, "kubernetes is null");
        requireNonNull(description, "description is null");
        if (kubernetes.isPresent() != (kind == ComputeKind.KUBERNETES)) {
            throw new IllegalArgumentException("kubernetes settings must be given exactly for a kubernetes target: " + name);
        }
    }

    @JsonProperty("kubernetes")
    KubernetesSettings kubernetesOrNull() {
        return kubernetes.orElse(null);
    }
}
