package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static dev.atelier.server.registry.RegistryChecks.modelNotFound;
import static dev.atelier.server.registry.RegistryChecks.validAlias;
import static dev.atelier.server.registry.RegistryChecks.validName;
import static dev.atelier.server.registry.RegistryChecks.versionNotFound;
import static dev.atelier.server.registry.RegistryChecks.versionNumber;
import static java.util.Objects.requireNonNull;

/**
 * The rules of MLflow's model registry (mlflow/store/model_registry/sqlalchemy_store.py): names,
 * not-found and duplicate errors with MLflow's messages, paging, and where a version's files are.
 * Registering a version checks its source and {@code MLmodel} and copies its files into registry
 * storage ({@link RegistryStorage}); {@link #resolve} turns every form of {@code models:/} URI into
 * a version, and {@link #files} says where a READY version's files are, for the CLI, jobs and
 * endpoints. Thread-safe; {@link #close} stops the background copies.
 */
public final class RegistryService implements WorkspaceParticipant, AutoCloseable {
    /** Sources up to this size are copied within model-versions/create, which then answers READY. */
    public static final long INLINE_COPY_LIMIT_BYTES = 64L * 1024 * 1024;

    private final RegistryStore store;
    private final TrackingService tracking;
    private final ArtifactService artifacts;
    private final Clock clock;
    private final ModelRegistration registration;
    private final RegistrySearch search;
    /** A source naming a logged model: {@code models:/m-<id>}, perhaps with a path in it. */
    private static final java.util.regex.Pattern LOGGED_MODEL_SOURCE = java.util.regex.Pattern.compile("models:/(m-[0-9a-fA-F]+)(?:/.*)?");

    private final List<SourceLocations> sourceLocations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<RegistryEvents> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    RegistryService(RegistryStore store, TrackingService tracking, ArtifactService artifacts, Clock clock,
                    long inlineCopyLimitBytes) {
        this.store = requireNonNull(store, "store is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.registration = new ModelRegistration(store, tracking, artifacts, clock, inlineCopyLimitBytes);
        this.search = new RegistrySearch(store);
    }

    /**
     * A registry over {@code store} that keeps its copies in {@code artifacts} (reserving its
     * {@code registry/} folder) and starts finishing copies that a stopped server left pending.
     */
    public static RegistryService start(RegistryStore store, TrackingService tracking, ArtifactService artifacts, Clock clock) {
        RegistryService registry = new RegistryService(store, tracking, artifacts, clock, INLINE_COPY_LIMIT_BYTES);
        registry.registration.startSweeping();
        return registry;
    }

    /** Lets another domain resolve its own kind of model-version source ({@link SourceLocations}); call while wiring. */
    public void addSourceLocations(SourceLocations locations) {
        sourceLocations.add(requireNonNull(locations, "locations is null"));
    }

    /** Tells {@code events} of every change from now on ({@link RegistryEvents}); call while wiring. */
    public void addListener(RegistryEvents events) {
        listeners.add(requireNonNull(events, "events is null"));
    }

    private void publish(String workspace, RegistryEvent event) {
        listeners.forEach(listener -> listener.published(workspace, event));
    }

    private static java.util.Map<String, String> tagMap(List<KeyValue> tags) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        tags.forEach(tag -> map.put(tag.key(), tag.value()));
        return map;
    }

    TrackingService tracking() {
        return tracking;
    }

    ArtifactService artifacts() {
        return artifacts;
    }

    // ---- registered models

    public RegisteredModel createRegisteredModel(String workspace, String name, Optional<String> description, List<KeyValue> tags) {
        RegisteredModel model = store.createRegisteredModel(workspace, validName(name), description, tags, clock.millis());
        publish(workspace, new RegistryEvent.ModelCreated(model.name(), tagMap(model.tags()), description.filter(text -> !text.isEmpty())));
        return model;
    }

    /** Throws RESOURCE_DOES_NOT_EXIST (404) with MLflow's message when there is no such model. */
    public RegisteredModel getRegisteredModel(String workspace, String name) {
        return store.getRegisteredModel(workspace, validName(name)).orElseThrow(() -> modelNotFound(name));
    }

    public RegisteredModel renameRegisteredModel(String workspace, String name, String newName) {
        require(store.renameRegisteredModel(workspace, validName(name), validName(newName), clock.millis()), name);
        return getRegisteredModel(workspace, newName);
    }

    public RegisteredModel updateRegisteredModel(String workspace, String name, Optional<String> description) {
        description.ifPresent(text -> require(store.updateRegisteredModelDescription(workspace, validName(name), text, clock.millis()), name));
        return getRegisteredModel(workspace, name);
    }

    /** Deletes a model with its versions and their registry copies. */
    public void deleteRegisteredModel(String workspace, String name) {
        List<String> locations = store.storageLocations(workspace, validName(name));
        require(store.deleteRegisteredModel(workspace, name), name);
        locations.forEach(location -> registration.deleteCopy(workspace, location));
    }

    /** registered-models/search: MLflow's filter ({@link RegistryFilter}), order_by, max_results and page token. */
    public Page<RegisteredModel> searchRegisteredModels(String workspace, String filter, List<String> orderBy,
                                                        Optional<Integer> maxResults, Optional<String> pageToken) {
        return search.models(workspace, filter, orderBy, maxResults, pageToken);
    }

    /** The newest version in each of {@code stages} (all stages when empty), without aliases. */
    public List<ModelVersion> getLatestVersions(String workspace, String name, List<String> stages) {
        List<String> wanted = stages.stream().map(stage -> ModelStage.parse(stage).wireName()).toList();
        return getRegisteredModel(workspace, name).latestVersions().stream()
                .filter(version -> wanted.isEmpty() || wanted.contains(version.currentStage()))
                .toList();
    }

    public void setRegisteredModelTag(String workspace, String name, KeyValue tag) {
        require(store.setRegisteredModelTag(workspace, validName(name), tag), name);
        publish(workspace, new RegistryEvent.ModelTagSet(name, tag.key(), tag.value()));
    }

    public void deleteRegisteredModelTag(String workspace, String name, String key) {
        require(store.deleteRegisteredModelTag(workspace, validName(name), key), name);
        publish(workspace, new RegistryEvent.ModelTagDeleted(name, key));
    }

    // ---- aliases

    public void setAlias(String workspace, String name, String alias, String version) {
        long number = versionNumber(version);
        getRegisteredModel(workspace, name);
        if (!store.setAlias(workspace, name, validAlias(alias), number)) {
            throw versionNotFound(name, version);
        }
        publish(workspace, new RegistryEvent.AliasCreated(name, alias, Long.toString(number)));
    }

    public void deleteAlias(String workspace, String name, String alias) {
        require(store.deleteAlias(workspace, validName(name), alias), name);
        publish(workspace, new RegistryEvent.AliasDeleted(name, alias));
    }

    /** The version an alias points at; a missing alias is INVALID_PARAMETER_VALUE (400), not 404, as in MLflow. */
    public ModelVersion getModelVersionByAlias(String workspace, String name, String alias) {
        getRegisteredModel(workspace, name);
        long version = store.aliasVersion(workspace, name, alias)
                .orElseThrow(() -> AtelierException.invalidParameter("Registered model alias " + alias + " not found."));
        return getModelVersion(workspace, name, Long.toString(version));
    }

    // ---- model versions

    /**
     * Creates the model's next version from {@code source}, whose files must be readable by this
     * server ({@link ModelSources}, or a {@code models:/} URI of a READY version) and whose
     * {@code MLmodel}, when there is one, must parse and name only files that are there. Nothing is
     * registered when a check fails. The files are then copied into registry storage: within this
     * call for small models (the answer is READY or FAILED_REGISTRATION), else in the background
     * (the answer is PENDING_REGISTRATION). A prompt ({@link #isPrompt}) is created READY with no files.
     */
    public ModelVersion createModelVersion(String workspace, NewModelVersion sent) {
        NewModelVersion version = withLoggedModel(workspace, sent);
        validName(version.name());
        if (version.source().isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'source'.");
        }
        getRegisteredModel(workspace, version.name());
        ModelVersion created;
        if (isPrompt(version)) {
            created = store.createModelVersionWithoutFiles(workspace, version, clock.millis()).orElseThrow(() -> modelNotFound(version.name()));
        } else {
            String source = sourceLocations.stream().map(locations -> locations.locate(workspace, version.source()))
                    .flatMap(Optional::stream).findFirst().orElse(version.source());
            String copySource = ModelUri.isModelUri(source)
                    ? files(workspace, resolve(workspace, source)).path()
                    : registration.locate(workspace, source);
            created = registration.register(workspace, version, copySource).orElseThrow(() -> modelNotFound(version.name()));
        }
        publish(workspace, new RegistryEvent.VersionCreated(created.name(), created.version(), created.source(),
                Optional.ofNullable(created.runId()).filter(id -> !id.isEmpty()), tagMap(created.tags()),
                Optional.ofNullable(created.description()).filter(text -> !text.isEmpty())));
        return created;
    }

    /**
     * The version with MLflow 3's {@code model_id}: the one sent, which must name a logged model (RESOURCE_DOES_NOT_EXIST
     * otherwise), or the logged model of a {@code models:/m-<id>} source, as MLflow's client sends both for
     * {@code mlflow.register_model("models:/m-<id>", ...)}.
     */
    private NewModelVersion withLoggedModel(String workspace, NewModelVersion version) {
        if (version.modelId().isPresent()) {
            String uri = "models:/" + version.modelId().get();
            boolean known = sourceLocations.stream().anyMatch(locations -> locations.locate(workspace, uri).isPresent());
            if (!known) {
                throw AtelierException.notFound("Logged model with ID '" + version.modelId().get() + "' not found.");
            }
            return version;
        }
        java.util.regex.Matcher loggedModel = LOGGED_MODEL_SOURCE.matcher(version.source());
        return loggedModel.matches() ? version.withModelId(loggedModel.group(1)) : version;
    }

    /**
     * A prompt of MLflow's prompt registry (2.21+): a version carrying the tag {@value RegistryFilter#PROMPT_TAG}, whatever its
     * value. Its text is in its tags and its source is a placeholder ({@code dummy-source}), so it has no files to
     * check or copy, as MLflow's server skips the source check for it ({@code _is_prompt_request}).
     */
    private static boolean isPrompt(NewModelVersion version) {
        return version.tags().stream().anyMatch(tag -> tag.key().equals(RegistryFilter.PROMPT_TAG));
    }

    /** Throws RESOURCE_DOES_NOT_EXIST (404) with MLflow's message when there is no such version. */
    public ModelVersion getModelVersion(String workspace, String name, String version) {
        return store.getModelVersion(workspace, validName(name), versionNumber(version)).orElseThrow(() -> versionNotFound(name, version));
    }

    public ModelVersion updateModelVersion(String workspace, String name, String version, Optional<String> description) {
        long number = versionNumber(version);
        description.ifPresent(text -> {
            if (!store.updateModelVersionDescription(workspace, validName(name), number, text, clock.millis())) {
                throw versionNotFound(name, version);
            }
        });
        return getModelVersion(workspace, name, version);
    }

    public ModelVersion transitionStage(String workspace, String name, String version, String stage, boolean archiveExisting) {
        long number = versionNumber(version);
        ModelStage target = ModelStage.parse(stage);
        if (!store.transitionStage(workspace, validName(name), number, target, archiveExisting, clock.millis())) {
            throw versionNotFound(name, version);
        }
        return getModelVersion(workspace, name, version);
    }

    /** Deletes a version, the aliases pointing at it and its registry copy. */
    public void deleteModelVersion(String workspace, String name, String version) {
        String location = getModelVersion(workspace, name, version).storageLocation();
        if (!store.deleteModelVersion(workspace, name, versionNumber(version), clock.millis())) {
            throw versionNotFound(name, version);
        }
        registration.deleteCopy(workspace, location);
    }

    /** Every live version of a model with its aliases, newest first; RESOURCE_DOES_NOT_EXIST for an unknown model. */
    public List<ModelVersion> versionsOf(String workspace, String name) {
        getRegisteredModel(workspace, name);
        return store.listModelVersions(workspace, name);
    }

    /** model-versions/search: MLflow's filter ({@link RegistryFilter}), order_by, max_results and page token; without aliases. */
    public Page<ModelVersion> searchModelVersions(String workspace, String filter, List<String> orderBy,
                                                  Optional<Integer> maxResults, Optional<String> pageToken) {
        return search.versions(workspace, filter, orderBy, maxResults, pageToken);
    }

    public void setModelVersionTag(String workspace, String name, String version, KeyValue tag) {
        if (!store.setModelVersionTag(workspace, validName(name), versionNumber(version), tag)) {
            throw versionNotFound(name, version);
        }
        publish(workspace, new RegistryEvent.VersionTagSet(name, Long.toString(versionNumber(version)), tag.key(), tag.value()));
    }

    public void deleteModelVersionTag(String workspace, String name, String version, String key) {
        if (!store.deleteModelVersionTag(workspace, validName(name), versionNumber(version), key)) {
            throw versionNotFound(name, version);
        }
        publish(workspace, new RegistryEvent.VersionTagDeleted(name, Long.toString(versionNumber(version)), key));
    }

    /**
     * Where MLflow clients download a version from: its registry copy as an
     * {@code mlflow-artifacts:} URI, read through the artifact proxy (MLflow's own server answers its
     * {@code storage_location} the same way). A version registered before the registry kept copies
     * answers where its source is.
     */
    public String getDownloadUri(String workspace, String name, String version) {
        return registration.downloadUri(workspace, getModelVersion(workspace, name, version));
    }

    // ---- models:/ URIs

    /**
     * The version a {@code models:/} URI names: by number, alias, stage (the newest version in it)
     * or {@code latest} (the newest version).
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a malformed URI, an unknown stage or alias;
     *         RESOURCE_DOES_NOT_EXIST for an unknown model or version, or an empty stage
     */
    public ModelVersion resolve(String workspace, String modelUri) {
        return switch (ModelUri.parse(modelUri)) {
            case ModelUri.Version uri -> getModelVersion(workspace, uri.name(), Long.toString(uri.version()));
            case ModelUri.Alias uri -> getModelVersionByAlias(workspace, uri.name(), uri.alias());
            case ModelUri.Stage uri -> getLatestVersions(workspace, uri.name(), List.of(uri.stage().wireName())).stream()
                    .findFirst()
                    .map(version -> getModelVersion(workspace, version.name(), version.version()))
                    .orElseThrow(() -> AtelierException.notFound("No versions of model with name '" + uri.name()
                            + "' and stage '" + uri.stage().wireName() + "' found"));
            case ModelUri.Latest uri -> getLatestVersions(workspace, uri.name(), List.of()).stream()
                    .max(java.util.Comparator.comparingLong(version -> Long.parseLong(version.version())))
                    .map(version -> getModelVersion(workspace, version.name(), version.version()))
                    .orElseThrow(() -> AtelierException.notFound("No versions of model with name '" + uri.name() + "' found"));
        };
    }

    /**
     * Where a version's files are. Only READY versions have files to read.
     *
     * @throws AtelierException INVALID_STATE when the version is not READY or its files cannot be read here
     */
    public ModelFiles files(String workspace, ModelVersion version) {
        return registration.files(workspace, version);
    }

    /**
     * A version with its lineage (run, experiment, datasets), files, flavors and signature, as the
     * native API and the portal show it.
     */
    public ModelVersionDetail detail(String workspace, ModelVersion version) {
        return new ModelLineage(this, tracking, artifacts).detail(workspace, version);
    }

    /** Flavors, signature and named files of a version's MLmodel; empty when it has none. */
    public Optional<ModelDescription> describe(ModelFiles files) {
        return registration.describe(files);
    }

    // ---- checks

    private static void require(boolean found, String name) {
        if (!found) {
            throw modelNotFound(name);
        }
    }

    @Override
    public void workspaceCreated(String workspace) {
        // A new workspace has no models.
    }

    @Override
    public boolean holdsData(String workspace) {
        return store.holdsData(workspace);
    }

    @Override
    public void workspaceDeleted(String workspace) {
        // Models, versions, tags and aliases go with the workspace row (foreign keys cascade).
    }

    @Override
    public void close() {
        registration.close();
    }
}
