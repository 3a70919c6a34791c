package dev.atelier.server.environments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One version of an environment (docs/jobs.md, "Environments"). A {@code process} environment has an
 * {@code executable}; a {@code python} one an interpreter ({@code python}: {@code python3.11} or an absolute path) and
 * {@code requirements} (pip requirement lines), or a {@code condaFile} (Azure's conda YAML), and is built into a
 * virtual environment by the compute that runs it; an {@code image} one an {@code image}, with an optional
 * {@code condaFile} (Azure's "image + conda_file", built locally with conda). The {@code requirements} of a
 * {@code process} or {@code image} environment are recorded for reproducibility and never installed. An {@code image}
 * environment may instead have a {@code build} (a Dockerfile in a snapshot, {@link ImageBuild}), built and pushed by a
 * Kubernetes target; its {@code image} is then empty.
 */
public record Environment(String name, int version, EnvironmentKind kind, @JsonIgnore Optional<String> executable,
                          @JsonIgnore Optional<String> image, @JsonIgnore Optional<String> python, @JsonIgnore Optional<String> requirements,
                          @JsonIgnore Optional<String> condaFile, @JsonIgnore Optional<ImageBuild> build, Map<String, String> tags,
                          String description, String createdBy, long createdAt) {
    /** The name of the built-in environment of Atelier's own workloads ({@link EnvironmentKind#ATELIER}). */
    public static final String ATELIER_NAME = "atelier";

    /**
     * The built-in environment of Atelier's own workloads, in every workspace as version 1 of {@value #ATELIER_NAME}:
     * {@code java} is the server's runtime with its classpath (docs/jobs.md, "The atelier environment").
     */
    public static final Environment ATELIER = new Environment(ATELIER_NAME, 1, EnvironmentKind.ATELIER, Optional.of("java"),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of("atelier.builtin", "true"),
            "Atelier's own Java runtime and classes (AutoML, the designer's built-in components): java with CLASSPATH set",
            "atelier", 0);

    public Environment {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(executable, "executable is null");
        requireNonNull(image, "image is null");
        requireNonNull(python, "python is null");
        requireNonNull(requirements, "requirements is null");
        requireNonNull(condaFile, "condaFile is null");
        requireNonNull(build, "build is null");
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
        requireNonNull(description, "description is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    /** An environment that is not built from a Dockerfile. */
    public Environment(String name, int version, EnvironmentKind kind, Optional<String> executable, Optional<String> image,
                       Optional<String> python, Optional<String> requirements, Optional<String> condaFile, Map<String, String> tags,
                       String description, String createdBy, long createdAt) {
        this(name, version, kind, executable, image, python, requirements, condaFile, Optional.empty(), tags, description, createdBy,
                createdAt);
    }

    /** {@code name:version}, as jobs reference it. */
    public String reference() {
        return name + ":" + version;
    }

    /** This environment as version {@code newVersion}. */
    public Environment withVersion(int newVersion) {
        return new Environment(name, newVersion, kind, executable, image, python, requirements, condaFile, build, tags, description,
                createdBy, createdAt);
    }

    /** This environment running in {@code builtImage}, the image its {@code build} was built into. */
    public Environment withBuiltImage(String builtImage) {
        return new Environment(name, version, kind, executable, Optional.of(builtImage), python, requirements, condaFile, build, tags,
                description, createdBy, createdAt);
    }

    /** Whether the local target can run it: a process or python environment, or an image one with a conda file. */
    public boolean runsLocally() {
        return switch (kind) {
            case PROCESS, PYTHON, ATELIER -> true;
            case IMAGE -> condaFile.isPresent();
        };
    }

    /** Whether a container target can run it: an image environment without a conda file (built from its Dockerfile, if it has {@code build}). */
    public boolean runsInContainers() {
        return switch (kind) {
            case IMAGE -> condaFile.isEmpty();
            case PROCESS, PYTHON, ATELIER -> false;
        };
    }

    /** Whether {@code other} describes the same thing to run (its name, version, tags and description aside). */
    public boolean sameSpecification(Environment other) {
        return kind == other.kind && executable.equals(other.executable) && image.equals(other.image) && python.equals(other.python)
                && requirements.equals(other.requirements) && condaFile.equals(other.condaFile) && build.equals(other.build);
    }

    @JsonProperty("executable")
    String executableOrNull() {
        return executable.orElse(null);
    }

    @JsonProperty("image")
    String imageOrNull() {
        return image.orElse(null);
    }

    @JsonProperty("python")
    String pythonOrNull() {
        return python.orElse(null);
    }

    @JsonProperty("requirements")
    String requirementsOrNull() {
        return requirements.orElse(null);
    }

    @JsonProperty("build")
    ImageBuild buildOrNull() {
        return build.orElse(null);
    }

    @JsonProperty("conda_file")
    String condaFileOrNull() {
        return condaFile.orElse(null);
    }
}
