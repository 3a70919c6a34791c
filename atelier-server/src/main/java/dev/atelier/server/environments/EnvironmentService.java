package dev.atelier.server.environments;

import dev.atelier.api.AtelierException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Rules of environments: names, kinds and the fields each kind needs, and references from jobs. Thread-safe. */
public final class EnvironmentService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** {@code name}, {@code name:version}, {@code name@latest}, each optionally prefixed with {@code azureml:} as Azure ML writes it. */
    private static final Pattern REFERENCE = Pattern.compile("(?:azureml:)?([A-Za-z0-9][A-Za-z0-9_.-]{0,127})(?::(\\d+)|@latest)?");
    static final int MAX_REQUIREMENTS_CHARS = 64 * 1024;

    private final EnvironmentStore store;
    private final Clock clock;

    public EnvironmentService(EnvironmentStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Creates the next version of an environment; the fields a kind does not use must be absent. */
    public Environment create(String workspace, String name, EnvironmentKind kind, Optional<String> executable, Optional<String> image,
                              Optional<String> requirements, Optional<String> description, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'name': use 1 to 128 letters, "
                    + "digits, '_', '.' or '-', starting with a letter or digit");
        }
        switch (kind) {
            case PROCESS -> {
                requireText("executable", executable);
                refuse(kind, "image", image);
            }
            case IMAGE -> {
                requireText("image", image);
                refuse(kind, "executable", executable);
            }
        }
        requirements.filter(text -> text.length() > MAX_REQUIREMENTS_CHARS).ifPresent(text -> {
            throw AtelierException.invalidParameter("Invalid value for parameter 'requirements': longer than "
                    + MAX_REQUIREMENTS_CHARS + " characters");
        });
        Environment environment = new Environment(name, 0, kind, executable, image, requirements, description.orElse(""),
                createdBy, clock.millis());
        return store.createVersion(workspace, environment);
    }

    public List<Environment> list(String workspace) {
        return store.listLatest(workspace);
    }

    public List<Environment> versions(String workspace, String name) {
        List<Environment> versions = store.listVersions(workspace, name);
        if (versions.isEmpty()) {
            throw notFound(workspace, name);
        }
        return versions;
    }

    public Environment get(String workspace, String name, Optional<Integer> version) {
        return store.get(workspace, name, version).orElseThrow(() -> version
                .map(v -> AtelierException.notFound("Environment '" + name + "' has no version " + v + " in workspace '" + workspace + "'"))
                .orElseGet(() -> notFound(workspace, name)));
    }

    /**
     * The environment a job names ({@code name}, {@code name:version}, {@code name@latest},
     * optionally {@code azureml:}-prefixed); INVALID_PARAMETER_VALUE naming {@code field} when it
     * is malformed, RESOURCE_DOES_NOT_EXIST when there is no such environment.
     */
    public Environment resolve(String workspace, String field, String reference) {
        Matcher matcher = REFERENCE.matcher(reference == null ? "" : reference.strip());
        if (!matcher.matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + reference + "' for '" + field
                    + "': expected name, name:version or name@latest");
        }
        Optional<Integer> version = Optional.ofNullable(matcher.group(2)).map(Integer::parseInt);
        try {
            return get(workspace, matcher.group(1), version);
        } catch (AtelierException e) {
            throw AtelierException.notFound("Unknown environment '" + reference + "' in '" + field + "': " + e.getMessage());
        }
    }

    private static void requireText(String field, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter '" + field + "'");
        }
    }

    private static void refuse(EnvironmentKind kind, String field, Optional<String> value) {
        if (value.isPresent()) {
            throw AtelierException.invalidParameter("Invalid parameter '" + field + "': a " + kind.wireName()
                    + " environment has no " + field);
        }
    }

    private static AtelierException notFound(String workspace, String name) {
        return AtelierException.notFound("Environment '" + name + "' does not exist in workspace '" + workspace + "'");
    }
}
