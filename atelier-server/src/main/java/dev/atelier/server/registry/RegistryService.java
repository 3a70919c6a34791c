package dev.atelier.server.registry;

import dev.atelier.server.workspace.WorkspaceParticipant;

import dev.atelier.api.AtelierException;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.PageToken;
import dev.atelier.server.tracking.TrackingService;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The rules of MLflow's model registry (mlflow/store/model_registry/sqlalchemy_store.py): names,
 * not-found and duplicate errors with MLflow's messages, paging, and where a version's files are.
 * Thread-safe.
 */
public final class RegistryService implements WorkspaceParticipant {
    static final int DEFAULT_MODEL_RESULTS = 100;
    static final int MAX_MODEL_RESULTS = 1000;
    static final int DEFAULT_VERSION_RESULTS = 10_000;
    static final int MAX_VERSION_RESULTS = 200_000;
    private static final Map<String, String> MODEL_FILTER_COLUMNS = Map.of("name", "name");
    private static final Map<String, String> MODEL_ORDER_COLUMNS = Map.of(
            "name", "name", "last_updated_timestamp", "last_update_time", "timestamp", "last_update_time");
    private static final Map<String, String> VERSION_FILTER_COLUMNS = Map.of("name", "name", "run_id", "run_id", "source_path", "source");
    private static final Map<String, String> VERSION_ORDER_COLUMNS = Map.of("name", "name", "version_number", "version",
            "creation_timestamp", "creation_time", "last_updated_timestamp", "last_update_time");
    private static final String RUNS_SCHEME = "runs:/";

    private final RegistryStore store;
    private final TrackingService tracking;
    private final Clock clock;

    public RegistryService(RegistryStore store, TrackingService tracking, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // ---- registered models

    public RegisteredModel createRegisteredModel(String workspace, String name, Optional<String> description, List<KeyValue> tags) {
        return store.createRegisteredModel(workspace, validName(name), description, tags, clock.millis());
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

    public void deleteRegisteredModel(String workspace, String name) {
        require(store.deleteRegisteredModel(workspace, validName(name)), name);
    }

    public Page<RegisteredModel> searchRegisteredModels(String workspace, String filter, List<String> orderBy,
                                                        Optional<Integer> maxResults, Optional<String> pageToken) {
        int limit = limit(maxResults, DEFAULT_MODEL_RESULTS, MAX_MODEL_RESULTS);
        int offset = PageToken.decodeOffset(pageToken);
        List<RegisteredModel> found = store.searchRegisteredModels(workspace, RegistryFilter.parse(filter, MODEL_FILTER_COLUMNS),
                RegistryOrder.sql(orderBy, MODEL_ORDER_COLUMNS, "name ASC", "name ASC"), offset, limit + 1);
        return page(found, offset, limit);
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
    }

    public void deleteRegisteredModelTag(String workspace, String name, String key) {
        require(store.deleteRegisteredModelTag(workspace, validName(name), key), name);
    }

    // ---- aliases

    public void setAlias(String workspace, String name, String alias, String version) {
        long number = versionNumber(version);
        getRegisteredModel(workspace, name);
        if (!store.setAlias(workspace, name, validAlias(alias), number)) {
            throw versionNotFound(name, version);
        }
    }

    public void deleteAlias(String workspace, String name, String alias) {
        require(store.deleteAlias(workspace, validName(name), alias), name);
    }

    /** The version an alias points at; a missing alias is INVALID_PARAMETER_VALUE (400), not 404, as in MLflow. */
    public ModelVersion getModelVersionByAlias(String workspace, String name, String alias) {
        getRegisteredModel(workspace, name);
        long version = store.aliasVersion(workspace, name, alias)
                .orElseThrow(() -> AtelierException.invalidParameter("Registered model alias " + alias + " not found."));
        return getModelVersion(workspace, name, Long.toString(version));
    }

    // ---- model versions

    /** Creates the model's next version, READY at once (the files are already where {@code source} says). */
    public ModelVersion createModelVersion(String workspace, NewModelVersion version) {
        validName(version.name());
        if (version.source().isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'source'.");
        }
        return store.createModelVersion(workspace, version, clock.millis()).orElseThrow(() -> modelNotFound(version.name()));
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

    public void deleteModelVersion(String workspace, String name, String version) {
        if (!store.deleteModelVersion(workspace, validName(name), versionNumber(version), clock.millis())) {
            throw versionNotFound(name, version);
        }
    }

    public Page<ModelVersion> searchModelVersions(String workspace, String filter, List<String> orderBy,
                                                  Optional<Integer> maxResults, Optional<String> pageToken) {
        int limit = limit(maxResults, DEFAULT_VERSION_RESULTS, MAX_VERSION_RESULTS);
        int offset = PageToken.decodeOffset(pageToken);
        List<ModelVersion> found = store.searchModelVersions(workspace, RegistryFilter.parse(filter, VERSION_FILTER_COLUMNS),
                RegistryOrder.sql(orderBy, VERSION_ORDER_COLUMNS, "name ASC, version DESC", "version DESC"), offset, limit + 1);
        return page(found, offset, limit);
    }

    public void setModelVersionTag(String workspace, String name, String version, KeyValue tag) {
        if (!store.setModelVersionTag(workspace, validName(name), versionNumber(version), tag)) {
            throw versionNotFound(name, version);
        }
    }

    public void deleteModelVersionTag(String workspace, String name, String version, String key) {
        if (!store.deleteModelVersionTag(workspace, validName(name), versionNumber(version), key)) {
            throw versionNotFound(name, version);
        }
    }

    /**
     * Where a version's files can be downloaded: its {@code source}, with {@code runs:/<run_id>/<path>}
     * resolved to the run's artifact URI and the path (the files stay where the run logged them).
     */
    public String getDownloadUri(String workspace, String name, String version) {
        String source = getModelVersion(workspace, name, version).source();
        if (!source.startsWith(RUNS_SCHEME)) {
            return source;
        }
        String rest = source.substring(RUNS_SCHEME.length());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String artifactUri = tracking.getRunInfo(workspace, runId).artifactUri();
        return path.isEmpty() ? artifactUri : artifactUri + (artifactUri.endsWith("/") ? "" : "/") + path;
    }

    // ---- checks

    private static <T> Page<T> page(List<T> found, int offset, int limit) {
        return found.size() > limit
                ? new Page<>(found.subList(0, limit), Optional.of(PageToken.encode(offset + limit)))
                : new Page<>(found, Optional.empty());
    }

    private static int limit(Optional<Integer> maxResults, int defaultLimit, int maximum) {
        int limit = maxResults.orElse(defaultLimit);
        if (limit < 1 || limit > maximum) {
            throw AtelierException.invalidParameter("Invalid value " + limit + " for parameter 'max_results' supplied. "
                    + "It must be at least 1 and at most " + maximum + ".");
        }
        return limit;
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw AtelierException.invalidParameter("Registered model name cannot be empty.");
        }
        return name;
    }

    private static String validAlias(String alias) {
        if (alias.isBlank()) {
            throw AtelierException.invalidParameter("Registered model alias name cannot be empty.");
        }
        if (alias.matches("(?i)latest|v\\d+")) {
            throw AtelierException.invalidParameter("'" + alias + "' alias name (case insensitive) is reserved.");
        }
        return alias;
    }

    private static long versionNumber(String version) {
        try {
            long number = Long.parseLong(version.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw AtelierException.invalidParameter("Model version must be an integer, got '" + version + "'.");
    }

    private static void require(boolean found, String name) {
        if (!found) {
            throw modelNotFound(name);
        }
    }

    private static AtelierException modelNotFound(String name) {
        return AtelierException.notFound("Registered Model with name=" + name + " not found");
    }

    private static AtelierException versionNotFound(String name, String version) {
        return AtelierException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
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
}
