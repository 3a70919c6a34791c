package dev.atelier.server.tracking;

import dev.atelier.api.AtelierException;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The rules of MLflow tracking: validation, defaults, lifecycle checks and lineage between
 * experiments and runs. Thread-safe.
 */
public final class TrackingService implements WorkspaceParticipant {
    public static final String RUN_NAME_TAG = "mlflow.runName";
    static final String USER_TAG = "mlflow.user";

    private final TrackingStore store;
    private final RunArtifacts artifacts;
    private final Clock clock;
    private final List<RunOutputs> runOutputs = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TrackingService(TrackingStore store, RunArtifacts artifacts, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // ---- experiments

    public Experiment createExperiment(String workspace, String name, Optional<String> artifactLocation, List<KeyValue> tags) {
        if (name == null || name.isBlank()) {
            throw AtelierException.invalidParameter("Invalid experiment name: '" + (name == null ? "" : name)
                    + "'. Experiment name must be a non-empty string.");
        }
        tags.forEach(this::checkExperimentTag);
        return store.createExperiment(workspace, name, artifactLocation.filter(location -> !location.isBlank()), tags, clock.millis());
    }

    public Experiment getExperiment(String workspace, String experimentId) {
        long id = parseExperimentId(experimentId);
        return store.getExperiment(workspace, id)
                .orElseThrow(() -> AtelierException.notFound("No Experiment with id=" + experimentId + " exists"));
    }

    public Experiment getExperimentByName(String workspace, String name) {
        return store.getExperimentByName(workspace, name)
                .orElseThrow(() -> AtelierException.notFound("Could not find experiment with name '" + name + "'"));
    }

    public void deleteExperiment(String workspace, String experimentId) {
        Experiment experiment = getExperiment(workspace, experimentId);
        if ("0".equals(experiment.experimentId())) {
            throw AtelierException.invalidParameter("Cannot delete the default experiment '0'. "
                    + "It is the experiment runs go to when none is given.");
        }
        if (!experiment.isActive()) {
            throw AtelierException.invalidParameter("The experiment " + experimentId + " must be in the 'active' state. "
                    + "Current state is " + experiment.lifecycleStage() + ".");
        }
        store.deleteExperiment(workspace, Long.parseLong(experiment.experimentId()), clock.millis());
    }

    public void restoreExperiment(String workspace, String experimentId) {
        Experiment experiment = getExperiment(workspace, experimentId);
        if (experiment.isActive()) {
            throw AtelierException.invalidParameter("The experiment " + experimentId + " must be in the 'deleted' state. "
                    + "Current state is active.");
        }
        store.restoreExperiment(workspace, Long.parseLong(experiment.experimentId()), clock.millis());
    }

    public void renameExperiment(String workspace, String experimentId, String newName) {
        if (newName == null || newName.isBlank()) {
            throw AtelierException.invalidParameter("Invalid experiment name: '" + newName + "'. Experiment name must be a non-empty string.");
        }
        Experiment experiment = getExperiment(workspace, experimentId);
        if (!experiment.isActive()) {
            throw AtelierException.invalidState("Cannot rename a non-active experiment.");
        }
        store.renameExperiment(workspace, Long.parseLong(experiment.experimentId()), newName, clock.millis());
    }

    public void setExperimentTag(String workspace, String experimentId, KeyValue tag) {
        checkExperimentTag(tag);
        Experiment experiment = requireActive(getExperiment(workspace, experimentId));
        store.setExperimentTag(workspace, Long.parseLong(experiment.experimentId()), tag);
    }

    public void deleteExperimentTag(String workspace, String experimentId, String key) {
        Experiment experiment = requireActive(getExperiment(workspace, experimentId));
        if (!store.deleteExperimentTag(workspace, Long.parseLong(experiment.experimentId()), key)) {
            throw AtelierException.notFound("No tag with name: " + key + " in experiment with id " + experimentId);
        }
    }

    public Page<Experiment> searchExperiments(String workspace, ExperimentQuery query, int maxResults, Optional<String> pageToken) {
        TrackingLimits.checkMaxResults(maxResults);
        int offset = PageToken.decodeOffset(pageToken);
        List<Experiment> found = store.searchExperiments(workspace, query, maxResults + 1, offset);
        return page(found, maxResults, offset);
    }

    private void checkExperimentTag(KeyValue tag) {
        TrackingLimits.checkKey("tag", tag.key());
        TrackingLimits.checkValueLength("Tag", tag.key(), tag.value(), TrackingLimits.MAX_EXPERIMENT_TAG_VALUE_LENGTH);
    }

    private static Experiment requireActive(Experiment experiment) {
        if (!experiment.isActive()) {
            throw AtelierException.invalidParameter("The experiment " + experiment.experimentId()
                    + " must be in the 'active' state. Current state is " + experiment.lifecycleStage() + ".");
        }
        return experiment;
    }

    static long parseExperimentId(String experimentId) {
        try {
            long id = Long.parseLong(experimentId.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid experiment id '" + experimentId + "': expected a non-negative integer");
        }
    }

    // ---- runs

    /** Creates a run in an active experiment; the run name comes from {@code runName}, the mlflow.runName tag, or is generated. */
    public Run createRun(String workspace, String experimentId, Optional<String> userId, Optional<Long> startTime,
                         Optional<String> runName, List<KeyValue> tags) {
        long experiment = parseExperimentId(experimentId);
        checkTags(tags);
        Map<String, String> tagMap = new HashMap<>();
        tags.forEach(tag -> tagMap.put(tag.key(), tag.value()));
        String name = runName.filter(n -> !n.isEmpty()).orElseGet(() -> {
            String fromTag = tagMap.get(RUN_NAME_TAG);
            return fromTag != null && !fromTag.isEmpty() ? fromTag : RunNames.generate();
        });
        if (tagMap.containsKey(RUN_NAME_TAG) && !tagMap.get(RUN_NAME_TAG).equals(name)) {
            throw AtelierException.invalidParameter("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
                    + "different values (run_name='" + name + "', mlflow.runName='" + tagMap.get(RUN_NAME_TAG) + "').");
        }
        List<KeyValue> allTags = new ArrayList<>(tags);
        if (!tagMap.containsKey(RUN_NAME_TAG)) {
            allTags.add(new KeyValue(RUN_NAME_TAG, name));
        }
        String runId = UUID.randomUUID().toString().replace("-", "");
        String user = userId.orElseGet(() -> tagMap.getOrDefault(USER_TAG, ""));
        List<KeyValue> storedTags = dedupeLastWins(allTags);
        NewRun run = new NewRun(runId, experiment, name, user, RunStatus.RUNNING, startTime.orElseGet(clock::millis));
        // The insert reads the experiment itself; only when it refuses is the experiment read again, to say why.
        RunInfo info = store.createRun(workspace, run, storedTags)
                .orElseThrow(() -> {
                    requireActive(getExperiment(workspace, experimentId));
                    return new IllegalStateException("experiment " + experimentId + " is active but the run was not created");
                });
        // A new run has no metrics, params or inputs; its tags are those just written, listed by key as runs/get lists them.
        List<KeyValue> sortedTags = storedTags.stream().sorted(java.util.Comparator.comparing(KeyValue::key)).toList();
        return new Run(info, new RunData(List.of(), List.of(), sortedTags), new RunInputs(List.of()));
    }

    /** Lets another domain say what runs produce ({@link RunOutputs}); call while wiring. */
    public void addRunOutputs(RunOutputs outputs) {
        runOutputs.add(requireNonNull(outputs, "outputs is null"));
    }

    /** The logged models each run produced, with their steps (MLflow 3's {@code RunOutputs.model_outputs}); others left out. */
    public Map<String, Map<String, Long>> modelOutputs(String workspace, List<String> runIds) {
        Map<String, Map<String, Long>> outputs = new java.util.LinkedHashMap<>();
        runOutputs.forEach(source -> source.modelOutputs(workspace, runIds).forEach((run, models) ->
                outputs.computeIfAbsent(run, id -> new java.util.LinkedHashMap<>()).putAll(models)));
        return outputs;
    }

    public Run getRun(String workspace, String runId) {
        return store.getRun(workspace, runId).orElseThrow(() -> runNotFound(runId));
    }

    public RunInfo getRunInfo(String workspace, String runId) {
        return store.getRunInfo(workspace, runId).orElseThrow(() -> runNotFound(runId));
    }

    private RunInfo activeRun(String workspace, String runId) {
        RunInfo info = getRunInfo(workspace, runId);
        if (!info.isActive()) {
            throw AtelierException.invalidParameter("The run " + runId + " must be in the 'active' state. "
                    + "Current state is " + info.lifecycleStage() + ".");
        }
        return info;
    }

    public RunInfo updateRun(String workspace, String runId, Optional<RunStatus> status, Optional<Long> endTime, Optional<String> runName) {
        RunInfo info = activeRun(workspace, runId);
        store.updateRunInfo(runId, status.orElse(info.status()), endTime, runName.filter(name -> !name.isEmpty()));
        return getRunInfo(workspace, runId);
    }

    public void deleteRun(String workspace, String runId) {
        getRunInfo(workspace, runId);
        store.deleteRun(runId, clock.millis());
    }

    public void restoreRun(String workspace, String runId) {
        getRunInfo(workspace, runId);
        store.restoreRun(runId);
    }

    /** Validates everything first, then writes all of it in one transaction or nothing. */
    public void logBatch(String workspace, String runId, List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags) {
        TrackingLimits.checkBatchSize(metrics.size(), params.size(), tags.size());
        java.util.Set<String> checkedKeys = new java.util.HashSet<>();
        for (Metric metric : metrics) {
            if (checkedKeys.add(metric.key())) { // a batch repeats a few keys over many steps
                TrackingLimits.checkKey("metric", metric.key());
            }
        }
        Map<String, String> seen = new HashMap<>();
        for (KeyValue param : params) {
            TrackingLimits.checkKey("param", param.key());
            TrackingLimits.checkValueLength("Param", param.key(), param.value(), TrackingLimits.MAX_PARAM_VALUE_LENGTH);
            String previous = seen.put(param.key(), param.value());
            if (previous != null && !previous.equals(param.value())) {
                throw AtelierException.invalidParameter("Duplicate parameter keys have been submitted: ['" + param.key()
                        + "']. Please ensure the request contains only one param value per param key.");
            }
        }
        checkTags(tags);
        activeRun(workspace, runId);
        List<KeyValue> uniqueParams = params.stream().filter(p -> seen.remove(p.key()) != null).toList();
        store.logBatch(runId, metrics, uniqueParams, dedupeLastWins(tags));
    }

    public void deleteTag(String workspace, String runId, String key) {
        activeRun(workspace, runId);
        if (!store.deleteTag(runId, key)) {
            throw AtelierException.notFound("No tag with name: " + key + " in run with id " + runId);
        }
    }

    public void logInputs(String workspace, String runId, List<DatasetInput> inputs) {
        RunInfo info = activeRun(workspace, runId);
        for (DatasetInput input : inputs) {
            for (KeyValue tag : input.tags()) {
                TrackingLimits.checkValueLength("Input tag", tag.key(), tag.value(), TrackingLimits.MAX_TAG_VALUE_LENGTH);
            }
        }
        store.logInputs(workspace, Long.parseLong(info.experimentId()), runId, inputs);
    }

    private static void checkTags(List<KeyValue> tags) {
        for (KeyValue tag : tags) {
            TrackingLimits.checkKey("tag", tag.key());
            TrackingLimits.checkValueLength("Tag", tag.key(), tag.value(), TrackingLimits.MAX_TAG_VALUE_LENGTH);
        }
    }

    /** Keeps the last value of each key, in first-seen key order. */
    private static List<KeyValue> dedupeLastWins(List<KeyValue> values) {
        Map<String, String> byKey = new java.util.LinkedHashMap<>();
        values.forEach(value -> byKey.put(value.key(), value.value()));
        return byKey.entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList();
    }

    static AtelierException runNotFound(String runId) {
        return AtelierException.notFound("Run with id=" + runId + " not found");
    }

    /** MLflow's artifacts/list: one folder of a run's artifacts, paths relative to the run's artifact root. */
    public List<dev.atelier.server.artifacts.FileInfo> listArtifacts(String workspace, String runId, String path) {
        return artifacts.list(workspace, getRunInfo(workspace, runId).artifactUri(), path);
    }

    // ---- metrics and search

    public Page<Metric> getMetricHistory(String workspace, String runId, String key, Optional<Integer> maxResults, Optional<String> pageToken) {
        getRunInfo(workspace, runId);
        int offset = PageToken.decodeOffset(pageToken);
        int limit = maxResults.map(TrackingLimits::checkMaxResultsForHistory).orElse(Integer.MAX_VALUE - 1);
        List<Metric> points = store.getMetricHistory(runId, key, limit + 1, offset);
        return page(points, limit, offset);
    }

    public Page<Run> searchRuns(String workspace, RunQuery query, int maxResults, Optional<String> pageToken) {
        TrackingLimits.checkMaxResults(maxResults);
        for (Long experimentId : query.experimentIds()) {
            if (!store.experimentExists(workspace, experimentId)) {
                throw AtelierException.notFound("No Experiment with id=" + experimentId + " exists");
            }
        }
        int offset = PageToken.decodeOffset(pageToken);
        List<String> ids = query.experimentIds().isEmpty() ? List.of() : store.searchRunIds(workspace, query, maxResults + 1, offset);
        boolean more = ids.size() > maxResults;
        List<Run> runs = store.getRuns(workspace, more ? ids.subList(0, maxResults) : ids);
        return new Page<>(runs, more ? Optional.of(PageToken.encode(offset + maxResults)) : Optional.empty());
    }

    private static <T> Page<T> page(List<T> found, int limit, int offset) {
        if (found.size() > limit) {
            return new Page<>(found.subList(0, limit), Optional.of(PageToken.encode(offset + limit)));
        }
        return new Page<>(found, Optional.empty());
    }

    Clock clock() {
        return clock;
    }

    TrackingStore store() {
        return store;
    }

    RunArtifacts artifacts() {
        return artifacts;
    }

    // ---- workspace lifecycle

    @Override
    public void workspaceCreated(String workspace) {
        store.ensureDefaultExperiment(workspace, clock.millis());
    }

    @Override
    public boolean holdsData(String workspace) {
        return store.holdsData(workspace);
    }

    @Override
    public void workspaceDeleted(String workspace) {
        // Rows go with the workspace (foreign keys cascade); artifacts are removed by the artifact domain.
    }

    /**
     * Points of one metric for several runs, sampled to at most {@code maxResults} steps per run
     * within [startStep, endStep] (MLflow's get-history-bulk-interval).
     */
    public List<MetricOfRun> getMetricHistoryBulkInterval(String workspace, List<String> runIds, String key,
                                                          Optional<Long> startStep, Optional<Long> endStep, int maxResults) {
        if (runIds.isEmpty()) {
            throw AtelierException.invalidParameter("GetMetricHistoryBulkInterval request must specify at least one run_id.");
        }
        if (runIds.size() > 100) {
            throw AtelierException.invalidParameter("GetMetricHistoryBulkInterval request cannot specify more than 100 run_ids. "
                    + "Received " + runIds.size() + " run_ids.");
        }
        if (maxResults <= 0 || maxResults > 1000) {
            throw AtelierException.invalidParameter("max_results must be between 1 and 1000, got " + maxResults);
        }
        long start = startStep.orElse(Long.MIN_VALUE);
        long end = endStep.orElse(Long.MAX_VALUE);
        if (start > end) {
            throw AtelierException.invalidParameter("end_step must be greater than start_step. Found start_step=" + start
                    + " and end_step=" + end + ".");
        }
        List<MetricOfRun> points = new ArrayList<>();
        for (String runId : runIds) {
            getRunInfo(workspace, runId);
            List<Long> steps = MetricSampler.sampleSteps(store.getMetricSteps(runId, key, start, end), maxResults);
            for (Metric metric : store.getMetricsAtSteps(runId, key, steps)) {
                points.add(new MetricOfRun(metric.key(), metric.value(), metric.timestamp(), metric.step(), runId));
            }
        }
        return points;
    }

    static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";

    /**
     * Records a logged model (runs/log-model): MLflow appends the model's JSON to the run's
     * {@code mlflow.log-model.history} tag, a JSON list the UI reads.
     */
    public void recordLoggedModel(String workspace, String runId, String modelJson) {
        com.fasterxml.jackson.databind.JsonNode model;
        try {
            model = dev.atelier.server.http.Json.mapper().readTree(modelJson);
        } catch (java.io.IOException e) {
            throw AtelierException.invalidParameter("Invalid model_json: not JSON (" + e.getMessage() + ")");
        }
        if (model == null || !model.isObject()) {
            throw AtelierException.invalidParameter("Invalid model_json: expected a JSON object");
        }
        List<String> missing = java.util.stream.Stream.of("artifact_path", "flavors", "utc_time_created", "run_id")
                .filter(field -> !model.has(field)).toList();
        if (!missing.isEmpty()) {
            throw AtelierException.invalidParameter("Model json is missing mandatory fields: " + missing);
        }
        activeRun(workspace, runId);
        Run run = getRun(workspace, runId);
        com.fasterxml.jackson.databind.node.ArrayNode history = dev.atelier.server.http.Json.mapper().createArrayNode();
        run.data().tags().stream().filter(tag -> LOGGED_MODELS_TAG.equals(tag.key())).findFirst().ifPresent(tag -> {
            try {
                com.fasterxml.jackson.databind.JsonNode previous = dev.atelier.server.http.Json.mapper().readTree(tag.value());
                if (previous.isArray()) {
                    history.addAll((com.fasterxml.jackson.databind.node.ArrayNode) previous);
                }
            } catch (java.io.IOException e) {
                // An unreadable history is replaced; the model being logged matters more.
            }
        });
        history.add(model);
        store.logBatch(runId, List.of(), List.of(), List.of(new KeyValue(LOGGED_MODELS_TAG, history.toString())));
    }
}
