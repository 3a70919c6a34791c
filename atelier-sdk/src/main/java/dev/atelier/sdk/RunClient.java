package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Runs of one workspace through MLflow's REST API. Thread-safe. Methods throw
 * {@link dev.atelier.api.AtelierException} when the server refuses the request and
 * {@link ServerUnreachableException} when it cannot be reached.
 */
public final class RunClient {
    /** The most metrics one {@code runs/log-batch} call takes. */
    public static final int MAX_BATCH_METRICS = 1000;
    /** The most params one {@code runs/log-batch} call takes. */
    public static final int MAX_BATCH_PARAMS = 100;
    /** The most tags one {@code runs/log-batch} call takes. */
    public static final int MAX_BATCH_TAGS = 100;
    /** The most metrics, params and tags in all one {@code runs/log-batch} call takes. */
    public static final int MAX_BATCH_ITEMS = 1000;

    private final HttpTransport transport;
    private final Function<String, String> paths;

    RunClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** One page of {@code runs/search}. */
    public RunPage search(RunSearch search) {
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        search.experimentIds().forEach(body.putArray("experiment_ids")::add);
        if (!search.filter().isEmpty()) {
            body.put("filter", search.filter());
        }
        body.put("max_results", search.maxResults());
        if (!search.orderBy().isEmpty()) {
            search.orderBy().forEach(body.putArray("order_by")::add);
        }
        search.pageToken().ifPresent(token -> body.put("page_token", token));
        body.put("run_view_type", search.viewType().name());
        JsonNode answer = transport.post(paths.apply("runs/search"), body);
        List<Run> runs = new ArrayList<>();
        answer.path("runs").forEach(node -> runs.add(Run.fromJson(node)));
        return new RunPage(runs, ExperimentClient.nextPageToken(answer));
    }

    /** Up to {@code limit} runs of the search, following page tokens. */
    public List<Run> list(RunSearch search, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<Run> runs = new ArrayList<>();
        RunSearch page = search;
        while (runs.size() < limit) {
            RunPage answer = search(page.withMaxResults(Math.min(limit - runs.size(), search.maxResults())));
            runs.addAll(answer.runs());
            if (answer.nextPageToken().isEmpty() || answer.runs().isEmpty()) {
                break;
            }
            page = page.withPageToken(answer.nextPageToken());
        }
        return runs;
    }

    public Run get(String runId) {
        return Run.fromJson(transport.get(paths.apply("runs/get?run_id="
                + HttpTransport.encode(requireNonNull(runId, "runId is null")))).path("run"));
    }

    /** Starts a run in {@code experimentId} ({@code runs/create}), named {@code runName} (MLflow picks a name when it is empty). */
    public RunInfo create(String experimentId, String runName) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("experiment_id", requireNonNull(experimentId, "experimentId is null"))
                .put("start_time", System.currentTimeMillis());
        if (!requireNonNull(runName, "runName is null").isEmpty()) {
            body.put("run_name", runName);
        }
        return RunInfo.fromJson(transport.post(paths.apply("runs/create"), body).path("run").path("info"));
    }

    /**
     * Records a logged model on the run ({@code runs/log-model}): the server appends
     * {@code modelJson} to the run's {@code mlflow.log-model.history} tag. {@code modelJson} is what
     * MLflow's {@code Model.get_tags_dict} gives; see {@link dev.atelier.api.mlmodel.MlModelYaml#historyEntry}.
     */
    public void logModel(String runId, String modelJson) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("run_id", requireNonNull(runId, "runId is null"))
                .put("model_json", requireNonNull(modelJson, "modelJson is null"));
        transport.post(paths.apply("runs/log-model"), body);
    }

    /** Logs a param (one {@code runs/log-batch} call); params are write-once: another value for a key is refused. */
    public void logParam(String runId, String key, String value) {
        logBatch(runId, List.of(), Map.of(requireNonNull(key, "key is null"), requireNonNull(value, "value is null")), Map.of());
    }

    /** Logs one value of a metric at {@code step}, timestamped now. */
    public void logMetric(String runId, String key, double value, long step) {
        logMetric(runId, new Metric(key, value, System.currentTimeMillis(), step));
    }

    /** Logs one metric value (one {@code runs/log-batch} call); NaN and infinities are kept. */
    public void logMetric(String runId, Metric metric) {
        logBatch(runId, List.of(requireNonNull(metric, "metric is null")), Map.of(), Map.of());
    }

    /** Sets a tag (one {@code runs/log-batch} call); a tag set again is overwritten. */
    public void setTag(String runId, String key, String value) {
        logBatch(runId, List.of(), Map.of(), Map.of(requireNonNull(key, "key is null"), requireNonNull(value, "value is null")));
    }

    /**
     * Logs metrics, params and tags in one {@code runs/log-batch} call, written whole or not at all. The server takes at
     * most {@value #MAX_BATCH_METRICS} metrics, {@value #MAX_BATCH_PARAMS} params, {@value #MAX_BATCH_TAGS} tags and
     * {@value #MAX_BATCH_ITEMS} items in all per call; {@link AsyncRunLogger} splits larger amounts.
     */
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("run_id", requireNonNull(runId, "runId is null"));
        ArrayNode metricArray = body.putArray("metrics");
        for (Metric metric : metrics) {
            ObjectNode node = metricArray.addObject().put("key", metric.key());
            putDouble(node, metric.value());
            node.put("timestamp", metric.timestamp()).put("step", metric.step());
        }
        ArrayNode paramArray = body.putArray("params");
        params.forEach((key, value) -> paramArray.addObject().put("key", key).put("value", value));
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach((key, value) -> tagArray.addObject().put("key", key).put("value", value));
        transport.post(paths.apply("runs/log-batch"), body);
    }

    /** MLflow's JSON for a double: a number, or the strings "NaN", "Infinity", "-Infinity". */
    private static void putDouble(ObjectNode node, double value) {
        if (Double.isNaN(value)) {
            node.put("value", "NaN");
        } else if (Double.isInfinite(value)) {
            node.put("value", value > 0 ? "Infinity" : "-Infinity");
        } else {
            node.put("value", value);
        }
    }

    /**
     * A logger that queues metrics, params and tags of the run and sends them in the background in
     * {@code runs/log-batch} calls, as MLflow's {@code log_metric(..., synchronous=False)} does. Close it
     * (or {@link AsyncRunLogger#flush()}) to send what is queued and learn of failures.
     */
    public AsyncRunLogger asyncLogger(String runId) {
        return new AsyncRunLogger(this, requireNonNull(runId, "runId is null"));
    }

    /** Ends the run ({@code runs/update}) with {@code status} (FINISHED, FAILED or KILLED), now. */
    public RunInfo end(String runId, String status) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("run_id", requireNonNull(runId, "runId is null"))
                .put("status", requireNonNull(status, "status is null"))
                .put("end_time", System.currentTimeMillis());
        return RunInfo.fromJson(transport.post(paths.apply("runs/update"), body).path("run_info"));
    }

    /** Moves the run to the {@code deleted} stage (MLflow's soft delete). */
    public void delete(String runId) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("run_id", requireNonNull(runId, "runId is null"));
        transport.post(paths.apply("runs/delete"), body);
    }
}
