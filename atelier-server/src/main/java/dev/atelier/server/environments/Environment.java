package dev.atelier.server.environments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One version of an environment. A {@code process} environment has an {@code executable}, an
 * {@code image} one an {@code image}; {@code requirements} (a requirements.txt or conda file) is
 * recorded for reproducibility and never installed by Atelier.
 */
public record Environment(String name, int version, EnvironmentKind kind, @JsonIgnore Optional<String> executable,
                          @JsonIgnore Optional<String> image, @JsonIgnore Optional<String> requirements, String description, String createdBy, long createdAt) {
    public Environment {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(executable, "executable is null");
        requireNonNull(image, "image is null");
        requireNonNull(requirements, "requirements is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    /** {@code name:version}, as jobs reference it. */
    public String reference() {
        return name + ":" + version;
    }

    @JsonProperty("executable")
    String executableOrNull() {
        return executable.orElse(null);
    }

    @JsonProperty("image")
    String imageOrNull() {
        return image.orElse(null);
    }

    @JsonProperty("requirements")
    String requirementsOrNull() {
        return requirements.orElse(null);
    }
}
