package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.ModelMetric;
import dev.atelier.server.tracking.ModelMetricSink;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.PageToken;
import dev.atelier.server.tracking.TrackingService;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's logged models: created PENDING in an existing experiment with their files' location
 * {@code <experiment artifact location>/models/<model id>/artifacts} (the client uploads through mlflow-artifacts),
 * then finalized READY or UPLOAD_FAILED. A missing or deleted model is RESOURCE_DOES_NOT_EXIST. Metrics logged in runs
 * with a {@code model_id} are kept for the model too ({@link ModelMetricSink}). Thread-safe.
 */
public final class LoggedModelService implements ModelMetricSink {
    public static final int DEFAULT_SEARCH_RESULTS = 100;
    public static final int MAX_SEARCH_RESULTS = 1000;
    /**
     * A logged model's URI, {@code models:/m-<32 hex digits>}: a registered model's URI has a version, stage or alias
     * after its name ({@code models:/m-x/1}, {@code models:/m-x@a}), so the two never meet.
     */
    private static final java.util.regex.Pattern MODEL_URI = java.util.regex.Pattern.compile("models:/(m-[0-9a-f]{32})");

    private final LoggedModelStore store;
    private final TrackingService tracking;
    private final ArtifactService artifacts;
    private final Clock clock;

    public LoggedModelService(LoggedModelStore store, TrackingService tracking, ArtifactService artifacts, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** CreateLoggedModel; a missing name gets a generated one, as MLflow's server gives. */
    public LoggedModel create(String workspace, String experimentId, Optional<String> name, Optional<String> modelType,
                              Optional<String> sourceRunId, Map<String, String> params, Map<String, String> tags) {
        Experiment experiment = tracking.getExperiment(workspace, experimentId);
        sourceRunId.ifPresent(run -> tracking.getRunInfo(workspace, run));
        String modelId = "m-" + UUID.randomUUID().toString().replace("-", "");
        long now = clock.millis();
        LoggedModel model = new LoggedModel(modelId, experiment.experimentId(),
                name.filter(text -> !text.isBlank()).orElseGet(() -> "model-" + modelId.substring(2, 10)),
                experiment.artifactLocation().replaceFirst("/+$", "") + "/models/" + modelId + "/artifacts", now, now,
                LoggedModelStatus.LOGGED_MODEL_PENDING, modelType, sourceRunId, Optional.empty(), tags, params);
        store.create(workspace, model);
        return model;
    }

    public LoggedModel get(String workspace, String modelId) {
        return store.get(workspace, modelId).orElseThrow(() -> notFound(modelId));
    }

    public LoggedModel finalize(String workspace, String modelId, LoggedModelStatus status, Optional<String> message) {
        if (status == LoggedModelStatus.LOGGED_MODEL_STATUS_UNSPECIFIED) {
            throw AtelierException.invalidParameter("Invalid value 'LOGGED_MODEL_STATUS_UNSPECIFIED' for parameter 'status'");
        }
        if (!store.finalize(workspace, modelId, status, message, clock.millis())) {
            throw notFound(modelId);
        }
        return get(workspace, modelId);
    }

    public void delete(String workspace, String modelId) {
        if (!store.delete(workspace, modelId, clock.millis())) {
            throw notFound(modelId);
        }
    }

    public void setTags(String workspace, String modelId, Map<String, String> tags) {
        if (!store.setTags(workspace, modelId, tags, clock.millis())) {
            throw notFound(modelId);
        }
    }

    public void deleteTag(String workspace, String modelId, String key) {
        get(workspace, modelId);
        if (!store.deleteTag(workspace, modelId, key, clock.millis())) {
            throw AtelierException.notFound("No tag with key '" + key + "' found for logged model '" + modelId + "'");
        }
    }

    /** LogLoggedModelParams; a param is written once (INVALID_PARAMETER_VALUE for a changed value, as for runs). */
    public void logParams(String workspace, String modelId, Map<String, String> params) {
        get(workspace, modelId);
        List<String> conflicts = store.addParams(workspace, modelId, params, clock.millis());
        if (!conflicts.isEmpty()) {
            throw AtelierException.invalidParameter("Changing param values is not allowed. Params with keys " + conflicts
                    + " were already logged with other values for logged model '" + modelId + "'");
        }
    }

    /**
     * SearchLoggedModels over the active models of {@code experimentIds} (each must exist).
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for no experiment, a bad filter, order or page size
     */
    public Page<LoggedModel> search(String workspace, List<String> experimentIds, String filter,
                                    List<LoggedModelSearch.DatasetFilter> datasets, List<LoggedModelSearch.Order> orderBy,
                                    int maxResults, Optional<String> pageToken) {
        if (experimentIds.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'experiment_ids'");
        }
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results': it must be between 1 and "
                    + MAX_SEARCH_RESULTS);
        }
        List<Long> ids = new ArrayList<>();
        for (String experimentId : experimentIds) {
            ids.add(Long.parseLong(tracking.getExperiment(workspace, experimentId).experimentId()));
        }
        int offset = PageToken.decodeOffset(pageToken);
        List<String> found = store.search(workspace, ids, filter, datasets, orderBy, maxResults + 1, offset);
        List<LoggedModel> models = found.stream().limit(maxResults).map(id -> store.get(workspace, id)).flatMap(Optional::stream).toList();
        return new Page<>(models, found.size() > maxResults ? Optional.of(PageToken.encode(offset + maxResults)) : Optional.empty());
    }

    /**
     * LogOutputs: the run produced these logged models (model id to step). The run and every model must exist
     * (RESOURCE_DOES_NOT_EXIST otherwise; nothing is recorded then).
     */
    public void logOutputs(String workspace, String runId, Map<String, Long> modelSteps) {
        tracking.getRunInfo(workspace, runId);
        modelSteps.keySet().forEach(modelId -> get(workspace, modelId));
        store.addOutputs(workspace, runId, modelSteps);
    }

    /** Every model named must exist: a metric is not logged against a missing one (RESOURCE_DOES_NOT_EXIST). */
    @Override
    public void check(String workspace, List<ModelMetric> metrics) {
        metrics.stream().map(ModelMetric::modelId).distinct().forEach(modelId -> get(workspace, modelId));
    }

    @Override
    public void record(String workspace, List<ModelMetric> metrics) {
        if (!metrics.isEmpty()) {
            store.addMetrics(workspace, metrics);
        }
    }

    /** The metric points logged against each of these models, oldest first; models without any are left out. */
    public Map<String, List<ModelMetric>> metrics(String workspace, List<String> modelIds) {
        return store.metrics(workspace, modelIds);
    }

    /** The logged models each of these runs produced, with their steps; runs that produced none are left out. */
    public Map<String, Map<String, Long>> outputs(String workspace, List<String> runIds) {
        return store.outputs(workspace, runIds);
    }

    /** ListLoggedModelArtifacts: one folder level of the model's files, when this server stores them. */
    public List<FileInfo> listArtifacts(String workspace, String modelId, String path) {
        LoggedModel model = get(workspace, modelId);
        String root = artifacts.locate(workspace, model.artifactUri()).orElseThrow(() -> AtelierException.invalidParameter(
                "The files of logged model '" + modelId + "' are not stored on this server: " + model.artifactUri()));
        return artifacts.list(workspace, path.isEmpty() ? root : root + "/" + path);
    }

    /**
     * Where the files of a model-version source {@code models:/m-<model id>} are (MLflow 3 registers a logged model
     * so, with {@code model_id}); empty for any other source.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST when no such model exists
     */
    public Optional<String> registrationSource(String workspace, String source) {
        java.util.regex.Matcher uri = MODEL_URI.matcher(source);
        return uri.matches() ? Optional.of(get(workspace, uri.group(1)).artifactUri()) : Optional.empty();
    }

    private static AtelierException notFound(String modelId) {
        return AtelierException.notFound("Logged model with ID '" + modelId + "' not found.");
    }
}
