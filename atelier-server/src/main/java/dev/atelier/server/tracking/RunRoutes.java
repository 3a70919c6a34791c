package dev.atelier.server.tracking;

import dev.atelier.server.tracking.search.ViewType;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.MlflowApi;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * MLflow's run, logging, metric-history and run-search endpoints. Run-scoped calls accept the id
 * as {@code run_id} or the deprecated {@code run_uuid}: clients send either or both. A metric logged with MLflow 3's
 * {@code model_id} also goes to the {@link ModelMetricSink}, checked before and recorded after the run's write.
 */
public final class RunRoutes implements RouteTable {
    private final TrackingService tracking;
    private final ModelMetricSink modelMetrics;

    public RunRoutes(TrackingService tracking, ModelMetricSink modelMetrics) {
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.modelMetrics = requireNonNull(modelMetrics, "modelMetrics is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "runs/create", Permission.WRITE, this::create));
        routes.addAll(MlflowApi.routes(GET, "runs/get", Permission.READ, this::get));
        routes.addAll(MlflowApi.routes(POST, "runs/update", Permission.WRITE, this::update));
        routes.addAll(MlflowApi.routes(POST, "runs/delete", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(POST, "runs/restore", Permission.WRITE, this::restore));
        routes.addAll(MlflowApi.routes(POST, "runs/log-metric", Permission.WRITE, this::logMetric));
        routes.addAll(MlflowApi.routes(POST, "runs/log-parameter", Permission.WRITE, this::logParameter));
        routes.addAll(MlflowApi.routes(POST, "runs/set-tag", Permission.WRITE, this::setTag));
        routes.addAll(MlflowApi.routes(POST, "runs/delete-tag", Permission.WRITE, this::deleteTag));
        routes.addAll(MlflowApi.routes(POST, "runs/log-batch", Permission.WRITE, this::logBatch));
        routes.addAll(MlflowApi.routes(POST, "runs/log-inputs", Permission.WRITE, this::logInputs));
        routes.addAll(MlflowApi.routes(POST, "runs/log-model", Permission.WRITE, this::logModel));
        routes.addAll(MlflowApi.routes(POST, "runs/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(GET, "runs/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(GET, "metrics/get-history", Permission.READ, this::history));
        routes.addAll(MlflowApi.routes(GET, "metrics/get-history-bulk-interval", Permission.READ, this::historyBulkInterval));
        routes.addAll(MlflowApi.routes(GET, "artifacts/list", Permission.READ, this::listArtifacts));
        return routes;
    }

    private static String runId(ApiRequest request) {
        return request.requiredStringOf("run_id", "run_uuid");
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Run run = tracking.createRun(workspace(ctx), request.optionalString("experiment_id").orElse("0"),
                request.optionalString("user_id"), request.optionalLong("start_time"), request.optionalString("run_name"),
                TrackingRequests.keyValues(request, "tags"));
        Responses.rawJson(ctx, RunJson.one(run));
    }

    /** runs/get; MLflow 3's {@code outputs} ({@code model_outputs}: the logged models the run produced) when it has any. */
    private void get(Context ctx) {
        Run run = tracking.getRun(workspace(ctx), runId(ApiRequest.from(ctx)));
        Responses.rawJson(ctx, RunJson.one(run, tracking.modelOutputs(workspace(ctx), List.of(run.info().runUuid()))
                .getOrDefault(run.info().runUuid(), Map.of())));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        RunInfo info = tracking.updateRun(workspace(ctx), runId(request), request.optionalString("status").map(RunStatus::parse),
                request.optionalLong("end_time"), request.optionalString("run_name"));
        Responses.json(ctx, Map.of("run_info", info));
    }

    private void delete(Context ctx) {
        tracking.deleteRun(workspace(ctx), runId(ApiRequest.from(ctx)));
        Responses.empty(ctx);
    }

    private void restore(Context ctx) {
        tracking.restoreRun(workspace(ctx), runId(ApiRequest.from(ctx)));
        Responses.empty(ctx);
    }

    private void logMetric(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        logBatch(ctx, runId(request), List.of(request), List.of(), List.of());
    }

    /** Logs the metrics of {@code items} with params and tags; those with a {@code model_id} go to the sink too. */
    private void logBatch(Context ctx, String runId, List<ApiRequest> items, List<KeyValue> params, List<KeyValue> tags) {
        List<Metric> metrics = items.stream().map(TrackingRequests::metric).toList();
        List<ModelMetric> linked = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ApiRequest item = items.get(i);
            Metric metric = metrics.get(i);
            item.optionalString("model_id").filter(id -> !id.isEmpty()).ifPresent(modelId -> linked.add(new ModelMetric(modelId, runId,
                    item.optionalString("dataset_name"), item.optionalString("dataset_digest"), metric)));
        }
        modelMetrics.check(workspace(ctx), linked);
        tracking.logBatch(workspace(ctx), runId, metrics, params, tags);
        modelMetrics.record(workspace(ctx), linked);
        Responses.empty(ctx);
    }

    private void logParameter(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        KeyValue param = new KeyValue(request.requiredString("key"), request.requiredString("value"));
        tracking.logBatch(workspace(ctx), runId(request), List.of(), List.of(param), List.of());
        Responses.empty(ctx);
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        KeyValue tag = new KeyValue(request.requiredString("key"), request.requiredString("value"));
        tracking.logBatch(workspace(ctx), runId(request), List.of(), List.of(), List.of(tag));
        Responses.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        tracking.deleteTag(workspace(ctx), runId(request), request.requiredString("key"));
        Responses.empty(ctx);
    }

    private void logBatch(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        // Sizes are checked before the items are parsed, so an oversize batch costs no parsing.
        TrackingLimits.checkBatchSize(request.arraySize("metrics"), request.arraySize("params"), request.arraySize("tags"));
        logBatch(ctx, runId(request), request.objectList("metrics"), TrackingRequests.keyValues(request, "params"),
                TrackingRequests.keyValues(request, "tags"));
    }

    private void logInputs(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        List<DatasetInput> inputs = request.objectList("datasets").stream().map(TrackingRequests::datasetInput).toList();
        tracking.logInputs(workspace(ctx), runId(request), inputs);
        Responses.empty(ctx);
    }

    private void logModel(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        tracking.recordLoggedModel(workspace(ctx), runId(request), request.requiredString("model_json"));
        Responses.empty(ctx);
    }

    private void search(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        List<Long> experimentIds = request.stringList("experiment_ids").stream().map(TrackingService::parseExperimentId).toList();
        RunQuery query = new RunQuery(experimentIds, request.optionalString("filter").orElse(""),
                ViewType.parse(request.optionalString("run_view_type").orElse("")), request.stringList("order_by"));
        int maxResults = request.optionalInt("max_results").orElse(TrackingLimits.DEFAULT_SEARCH_RESULTS);
        Page<Run> page = tracking.searchRuns(workspace(ctx), query, maxResults, request.optionalString("page_token"));
        // MLflow 3's outputs, as runs/get answers them: one query for the page's runs.
        Map<String, Map<String, Long>> outputs = page.items().isEmpty() ? Map.of() : tracking.modelOutputs(workspace(ctx),
                page.items().stream().map(run -> run.info().runUuid()).toList());
        if (page.items().isEmpty()) {
            Responses.json(ctx, page.body("runs"));
        } else {
            Responses.rawJson(ctx, RunJson.page(page, outputs));
        }
    }

    private void history(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<Metric> page = tracking.getMetricHistory(workspace(ctx), runId(request), request.requiredString("metric_key"),
                request.optionalInt("max_results"), request.optionalString("page_token"));
        Responses.rawJson(ctx, MetricHistoryJson.write(page));
    }

    private void historyBulkInterval(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        List<MetricOfRun> metrics = tracking.getMetricHistoryBulkInterval(workspace(ctx), request.stringList("run_ids"),
                request.requiredString("metric_key"), request.optionalLong("start_step"), request.optionalLong("end_step"),
                request.optionalInt("max_results").orElse(100));
        Responses.json(ctx, Map.of("metrics", metrics));
    }

    private void listArtifacts(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String workspace = workspace(ctx);
        String runId = runId(request);
        RunInfo info = tracking.getRunInfo(workspace, runId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("root_uri", info.artifactUri());
        body.put("files", tracking.listArtifacts(workspace, runId, request.optionalString("path").orElse("")));
        Responses.json(ctx, body);
    }
}
