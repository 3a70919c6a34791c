package dev.atelier.server.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentDocument;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.snapshots.SnapshotService;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Registration and reading of components (docs/components.md): a version is checked whole (document, code snapshot,
 * environment) before anything is written, and never changes once written but for its archived flag. The stored document
 * has its environment pinned to {@code azureml:<name>:<version>} (an inline environment is registered as a version of
 * {@value EnvironmentService#ANONYMOUS}, as jobs' are), so a version always runs the same code in the same environment.
 * Re-registering a version with an identical document answers the existing one, as Azure ML's CLI does. Thread-safe.
 */
public final class ComponentService {
    /** {@code name:version} or {@code name@latest}, after an optional {@code azureml:} (always read as that prefix). */
    private static final Pattern REFERENCE = Pattern.compile("([a-z0-9_]{1,255})(?::([A-Za-z0-9][A-Za-z0-9._-]{0,63})|@latest)");
    private static final String PREFIX = "azureml:";
    /** Who registered the built-in components. */
    public static final String BUILTIN_USER = "atelier";

    private final ComponentStore store;
    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final Clock clock;
    private final Set<String> builtinNames;

    /**
     * @param builtinNames the names of the built-in components (components.builtin), which only
     *                     {@link #registerBuiltin} registers
     */
    public ComponentService(JdbcComponentStore store, SnapshotService snapshots, EnvironmentService environments, Clock clock,
                            Set<String> builtinNames) {
        this.store = requireNonNull(store, "store is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.builtinNames = Set.copyOf(builtinNames);
    }

    /**
     * Registers a version from its document (YAML as JSON); the version is the next integer when the document has none
     * (or the latest version, when its document is identical).
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the field of a bad document, RESOURCE_DOES_NOT_EXIST naming
     *                          {@code code} or {@code environment} when they name nothing, RESOURCE_CONFLICT when the version
     *                          exists with another document or the name is a built-in component's
     */
    public Component create(String workspace, String user, JsonNode submitted) {
        ComponentSpec spec = ComponentDocument.parse(submitted, "");
        if (builtinNames.contains(spec.name())) {
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Component '" + spec.name() + "' is one of Atelier's built-in "
                    + "components, which cannot be registered or overwritten: choose another name in 'name'");
        }
        return register(workspace, user, submitted, spec);
    }

    /**
     * Registers the version of a built-in component (components.builtin) as user {@value #BUILTIN_USER}: idempotent, as
     * {@link #create} is for an identical document.
     *
     * @throws IllegalArgumentException when the name is not a built-in's
     */
    public Component registerBuiltin(String workspace, JsonNode document) {
        ComponentSpec spec = ComponentDocument.parse(document, "");
        if (!builtinNames.contains(spec.name())) {
            throw new IllegalArgumentException(spec.name() + " is not a built-in component");
        }
        return register(workspace, BUILTIN_USER, document, spec);
    }

    private Component register(String workspace, String user, JsonNode submitted, ComponentSpec spec) {
        ObjectNode document = (ObjectNode) submitted;
        Optional<EnvironmentDocument.Draft> inline = ComponentDocument.inlineEnvironment(document, "");
        spec.codeSnapshot().ifPresent(id -> {
            try {
                snapshots.get(workspace, id);
            } catch (AtelierException e) {
                throw AtelierException.notFound("Unknown snapshot in 'code': " + e.getMessage());
            }
        });
        Optional<Environment> environment = inline.isPresent() ? Optional.of(environments.anonymous(workspace, inline.get(), user))
                : spec.environment().map(reference -> environments.resolve(workspace, "environment", reference));
        // An anonymous environment not yet registered (version 0) makes a document that no existing version has.
        Optional<Component> same = existing(workspace, spec, pinned(document, spec, environment));
        if (same.isPresent()) {
            return same.get();
        }
        if (inline.isPresent()) {
            environment = Optional.of(environments.registerAnonymous(workspace, inline.get(), user));
        }
        ObjectNode stored = pinned(document, spec, environment);
        Component component = new Component(spec.name(), spec.version().orElse("0"), ComponentDocument.parse(stored, ""), false, user,
                clock.millis(), stored, workspace);
        return store.create(component, spec.version().isEmpty())
                .orElseGet(() -> existing(workspace, spec, stored).orElseThrow(() -> conflict(workspace, spec)));
    }

    /**
     * The registered version this document would be: with a version, that version when its document is identical (a
     * RESOURCE_CONFLICT when it differs); without, the latest version not archived when its document is identical but for
     * the version.
     */
    private Optional<Component> existing(String workspace, ComponentSpec spec, ObjectNode pinned) {
        if (spec.version().isPresent()) {
            Optional<Component> registered = store.get(workspace, spec.name(), spec.version().get());
            if (registered.isPresent() && !registered.get().document().equals(pinned)) {
                throw conflict(workspace, spec);
            }
            return registered;
        }
        return store.latest(workspace, spec.name(), false).filter(latest -> {
            ObjectNode withoutVersion = latest.document().deepCopy();
            withoutVersion.remove("version");
            return withoutVersion.equals(pinned);
        });
    }

    private static AtelierException conflict(String workspace, ComponentSpec spec) {
        return new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Component '" + spec.name() + "' already has version "
                + spec.version().orElseThrow() + " in workspace '" + workspace + "', with another document: versions never change "
                + "(register a new version, or leave 'version' out to get the next one)");
    }

    /** The document with its environment pinned to the version it names now (and its version as text, as it is stored). */
    private static ObjectNode pinned(ObjectNode document, ComponentSpec spec, Optional<Environment> environment) {
        ObjectNode pinned = environment.map(env -> ComponentDocument.withEnvironment(document, env.reference()))
                .orElseGet(document::deepCopy);
        spec.version().ifPresentOrElse(version -> pinned.put("version", version), () -> pinned.remove("version"));
        return pinned;
    }

    /**
     * One version, or without {@code version} the latest not archived (the latest archived one when every version is).
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST
     */
    public Component get(String workspace, String name, Optional<String> version) {
        if (version.isPresent()) {
            return store.get(workspace, name, version.get()).orElseThrow(() -> versionNotFound(workspace, name, version.get()));
        }
        return store.latest(workspace, name, false).or(() -> store.latest(workspace, name, true))
                .orElseThrow(() -> notFound(workspace, name));
    }

    /** The latest version of every component of the workspace, by name (archived ones when asked). */
    public List<Component> list(String workspace, boolean includeArchived) {
        return store.listLatest(workspace, includeArchived);
    }

    /** Every version of a component, archived ones too, the last registered first; RESOURCE_DOES_NOT_EXIST when none. */
    public List<Component> versions(String workspace, String name) {
        List<Component> versions = store.versions(workspace, name);
        if (versions.isEmpty()) {
            throw notFound(workspace, name);
        }
        return versions;
    }

    /**
     * Archives one version, or every version of the name: {@code @latest} and lists skip them, an explicit reference still
     * resolves. Returns the versions archived.
     */
    public List<Component> archive(String workspace, String name, Optional<String> version) {
        return setArchived(workspace, name, version, true);
    }

    /** Undoes {@link #archive}; returns the versions restored. */
    public List<Component> restore(String workspace, String name, Optional<String> version) {
        return setArchived(workspace, name, version, false);
    }

    private List<Component> setArchived(String workspace, String name, Optional<String> version, boolean archived) {
        if (store.setArchived(workspace, name, version, archived) == 0) {
            throw version.map(v -> versionNotFound(workspace, name, v)).orElseGet(() -> notFound(workspace, name));
        }
        return version.isPresent() ? List.of(get(workspace, name, version)) : versions(workspace, name);
    }

    /**
     * The version a pipeline step references: {@code azureml:<name>:<version>}, {@code azureml:<name>@latest} (the version
     * registered last that is not archived), or the same without {@code azureml:}. An explicit archived version still
     * resolves. A malformed reference is an {@code INVALID_PARAMETER_VALUE} and an unknown one a
     * {@code RESOURCE_DOES_NOT_EXIST}, both naming {@code field}.
     */
    public Component resolve(String workspace, String field, String reference) {
        String text = reference == null ? "" : reference.strip();
        Matcher matcher = REFERENCE.matcher(text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text);
        if (!matcher.matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + reference + "' for '" + field
                    + "': expected azureml:<name>:<version> or azureml:<name>@latest");
        }
        String name = matcher.group(1);
        Optional<String> version = Optional.ofNullable(matcher.group(2));
        Optional<Component> found = version.isPresent() ? store.get(workspace, name, version.get()) : store.latest(workspace, name, false);
        return found.orElseThrow(() -> AtelierException.notFound("Unknown component '" + reference + "' in '" + field + "': "
                + version.map(v -> "component '" + name + "' has no version '" + v + "'")
                .orElse("component '" + name + "' has no version that is not archived")
                + " in workspace '" + workspace + "'"));
    }

    private static AtelierException versionNotFound(String workspace, String name, String version) {
        return AtelierException.notFound("Component '" + name + "' has no version '" + version + "' in workspace '" + workspace + "'");
    }

    private static AtelierException notFound(String workspace, String name) {
        return AtelierException.notFound("Component '" + name + "' does not exist in workspace '" + workspace + "'");
    }
}
