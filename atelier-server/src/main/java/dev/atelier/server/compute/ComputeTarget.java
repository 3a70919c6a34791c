package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.atelier.server.compute.LocalSettings;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A compute target. {@code kubernetes} is present exactly for the {@code kubernetes} kind; {@code local} (the sandbox
 * mode and limits) only on the built-in {@code local} target.
 *
 * @param maxConcurrentJobs jobs running at once on this target (for {@code local}: per server process); more wait, first in first out
 * @param builtIn           the {@code local} target, which every workspace has and which cannot be changed through the API
 */
public record ComputeTarget(String name, ComputeKind kind, int maxConcurrentJobs, @JsonIgnore Optional<KubernetesSettings> kubernetes,
                            String description, long createdAt, long updatedAt, boolean builtIn,
                            @JsonIgnore Optional<LocalSettings> local) {
    public static final String LOCAL = "local";

    public ComputeTarget {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(kubernetes, "kubernetes is null");
        requireNonNull(description, "description is null");
        requireNonNull(local, "local is null");
        if (kubernetes.isPresent() != (kind == ComputeKind.KUBERNETES)) {
            throw new IllegalArgumentException("kubernetes settings must be given exactly for a kubernetes target: " + name);
        }
    }

    /** A target without local settings (every created one). */
    public ComputeTarget(String name, ComputeKind kind, int maxConcurrentJobs, Optional<KubernetesSettings> kubernetes,
                         String description, long createdAt, long updatedAt, boolean builtIn) {
        this(name, kind, maxConcurrentJobs, kubernetes, description, createdAt, updatedAt, builtIn, Optional.empty());
    }

    @JsonProperty("local")
    LocalSettings localOrNull() {
        return local.orElse(null);
    }

    @JsonProperty("kubernetes")
    KubernetesSettings kubernetesOrNull() {
        return kubernetes.orElse(null);
    }
}
