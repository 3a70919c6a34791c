package dev.atelier.server.environments;

import dev.atelier.api.AtelierException;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Rules of environments: names, kinds and the fields each kind needs, inline environments, and references from jobs. Thread-safe. */
public final class EnvironmentService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** {@code name}, {@code name:version}, {@code name@latest}, each optionally prefixed with {@code azureml:} as Azure ML writes it. */
    private static final Pattern REFERENCE = Pattern.compile("(?:azureml:)?([A-Za-z0-9][A-Za-z0-9_.-]{0,127})(?::(\\d+)|@latest)?");

    /** The name of jobs' inline environments, as Azure ML's CLI registers them. */
    public static final String ANONYMOUS = "CliV2AnonymousEnvironment";

    private final EnvironmentStore store;
    private final Clock clock;
    private final EnvironmentBuilds builds;
    private final BuildContexts contexts;

    public EnvironmentService(EnvironmentStore store, Clock clock) {
        this(store, clock, EnvironmentBuilds.NONE, BuildContexts.NONE);
    }

    /**
     * @param builds   what the compute that builds environments says of each build (state, log)
     * @param contexts the snapshots an image {@code build} may name as its context
     */
    public EnvironmentService(EnvironmentStore store, Clock clock, EnvironmentBuilds builds, BuildContexts contexts) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.builds = requireNonNull(builds, "builds is null");
        this.contexts = requireNonNull(contexts, "contexts is null");
    }

    /** Creates the next version of an environment; the fields a kind does not use must be absent. */
    public Environment create(String workspace, String name, EnvironmentKind kind, Optional<String> executable, Optional<String> image,
                              Optional<String> requirements, Optional<String> description, String createdBy) {
        switch (kind) {
            case PROCESS -> {
                requireText("executable", executable);
                refuse(kind, "image", image);
            }
            case IMAGE -> {
                requireText("image", image);
                refuse(kind, "executable", executable);
            }
            case PYTHON -> throw AtelierException.invalidParameter("Invalid value 'python' for parameter 'kind': create a python "
                    + "environment from its document (python, requirements or conda_file), without 'kind'");
            case ATELIER -> throw AtelierException.invalidParameter("Invalid value 'atelier' for parameter 'kind': the atelier "
                    + "environment is built in");
        }
        requirements.filter(text -> text.length() > EnvironmentDocument.MAX_TEXT_CHARS).ifPresent(text -> {
            throw AtelierException.invalidParameter("Invalid value for parameter 'requirements': longer than "
                    + EnvironmentDocument.MAX_TEXT_CHARS + " characters");
        });
        return create(workspace, new EnvironmentDocument.Draft(Optional.ofNullable(name), Optional.empty(), kind, executable, image,
                Optional.empty(), requirements, Optional.empty(), Optional.empty(), Map.of(), description.orElse("")), createdBy);
    }

    /**
     * Creates a version from a document ({@link EnvironmentDocument#parse}): the version it names, or the next one.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a bad or missing name, RESOURCE_ALREADY_EXISTS when the
     *                          version named exists
     */
    public Environment create(String workspace, EnvironmentDocument.Draft draft, String createdBy) {
        String name = draft.name().orElse(null);
        if (name == null || !NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'name': use 1 to 128 letters, "
                    + "digits, '_', '.' or '-', starting with a letter or digit");
        }
        if (name.equals(Environment.ATELIER_NAME)) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'name': '" + Environment.ATELIER_NAME
                    + "' is the built-in environment of Atelier's own workloads; choose another name");
        }
        draft.build().ifPresent(build -> checkBuild(workspace, "build.", build));
        Environment environment = new Environment(name, draft.version().orElse(0), draft.kind(), draft.executable(), draft.image(),
                draft.python(), draft.requirements(), draft.condaFile(), draft.build(), draft.tags(), draft.description(), createdBy,
                clock.millis());
        return store.createVersion(workspace, environment).orElseThrow(() -> AtelierException.alreadyExists("Environment '" + name
                + "' already has version " + draft.version().orElseThrow() + " in workspace '" + workspace + "'"));
    }

    /**
     * Registers a job's inline environment as a version of {@value #ANONYMOUS} (the name Azure ML's CLI gives them):
     * the existing version with the same specification, else the next one.
     */
    public Environment registerAnonymous(String workspace, EnvironmentDocument.Draft draft, String createdBy) {
        Environment wanted = anonymous(workspace, draft, createdBy);
        return wanted.version() > 0 ? wanted : store.createVersion(workspace, wanted).orElseThrow();
    }

    /**
     * What {@link #registerAnonymous} would answer, checked, without writing anything: the existing version with this
     * specification, or the version to create (numbered 0 until it is).
     */
    public Environment anonymous(String workspace, EnvironmentDocument.Draft draft, String createdBy) {
        draft.build().ifPresent(build -> checkBuild(workspace, "environment.build.", build));
        Environment wanted = new Environment(ANONYMOUS, 0, draft.kind(), draft.executable(), draft.image(), draft.python(),
                draft.requirements(), draft.condaFile(), draft.build(), draft.tags(), draft.description(), createdBy, clock.millis());
        return store.listVersions(workspace, ANONYMOUS).stream().filter(existing -> existing.sameSpecification(wanted)).findFirst()
                .orElse(wanted);
    }

    /** Every version of every environment in every workspace (what builds are kept for). */
    public List<Environment> allVersions() {
        return store.listAll();
    }

    /** The build of one version, as the compute that builds it reports it. */
    public EnvironmentBuilds.Build build(String workspace, String name, int version) {
        return builds.build(get(workspace, name, Optional.of(version)));
    }

    /** The latest version of each environment, the built-in {@value Environment#ATELIER_NAME} first. */
    public List<Environment> list(String workspace) {
        List<Environment> all = new java.util.ArrayList<>(List.of(Environment.ATELIER));
        store.listLatest(workspace).stream().filter(env -> !env.name().equals(Environment.ATELIER_NAME)).forEach(all::add);
        return all;
    }

    public List<Environment> versions(String workspace, String name) {
        if (name.equals(Environment.ATELIER_NAME)) {
            return List.of(Environment.ATELIER);
        }
        List<Environment> versions = store.listVersions(workspace, name);
        if (versions.isEmpty()) {
            throw notFound(workspace, name);
        }
        return versions;
    }

    public Environment get(String workspace, String name, Optional<Integer> version) {
        if (name.equals(Environment.ATELIER_NAME) && version.orElse(1) == 1) {
            return Environment.ATELIER;
        }
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

    /** The build's context must be a snapshot of the workspace holding the Dockerfile. */
    private void checkBuild(String workspace, String prefix, ImageBuild build) {
        Set<String> files = contexts.files(workspace, build.contextSnapshot()).orElseThrow(() -> AtelierException.invalidParameter(
                "Invalid value 'snapshot:" + build.contextSnapshot() + "' for '" + prefix + "context': workspace '" + workspace
                        + "' has no such snapshot (upload the folder first; the CLI does it for build.path)"));
        if (!files.contains(build.dockerfilePath())) {
            throw AtelierException.invalidParameter("Invalid value '" + build.dockerfilePath() + "' for '" + prefix + "dockerfile_path': "
                    + "the build context snapshot:" + build.contextSnapshot() + " has no such file");
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
