package dev.atelier.server.loggedmodels;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.MlflowApi;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.tracking.ModelMetric;
import dev.atelier.server.tracking.Page;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's logged-model endpoints under {@code /api/2.0/mlflow/logged-models} (service.proto: CreateLoggedModel,
 * GetLoggedModel, FinalizeLoggedModel, DeleteLoggedModel, SearchLoggedModels, SetLoggedModelTags, DeleteLoggedModelTag,
 * LogLoggedModelParamsRequest, ListLoggedModelArtifacts), and LogOutputs ({@code runs/outputs}), by which a run names
 * the models it produced. Thread-safe (stateless).
 */
public final class LoggedModelRoutes implements RouteTable {
    private final LoggedModelService models;

    public LoggedModelRoutes(LoggedModelService models) {
        this.models = requireNonNull(models, "models is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "logged-models", Permission.WRITE, this::create));
        routes.addAll(MlflowApi.routes(POST, "logged-models/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(GET, "logged-models/{model_id}", Permission.READ, this::get));
        routes.addAll(MlflowApi.routes(PATCH, "logged-models/{model_id}", Permission.WRITE, this::finalizeModel));
        routes.addAll(MlflowApi.routes(DELETE, "logged-models/{model_id}", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(PATCH, "logged-models/{model_id}/tags", Permission.WRITE, this::setTags));
        routes.addAll(MlflowApi.routes(DELETE, "logged-models/{model_id}/tags/{tag_key}", Permission.WRITE, this::deleteTag));
        routes.addAll(MlflowApi.routes(POST, "logged-models/{model_id}/params", Permission.WRITE, this::logParams));
        routes.addAll(MlflowApi.routes(GET, "logged-models/{model_id}/artifacts/directories", Permission.READ, this::listArtifacts));
        routes.addAll(MlflowApi.routes(POST, "runs/outputs", Permission.WRITE, this::logOutputs));
        return routes;
    }

    /** LogOutputs: {@code {"run_id", "models": [{"model_id", "step"}]}}. */
    private void logOutputs(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Map<String, Long> modelSteps = new LinkedHashMap<>();
        for (ApiRequest output : request.objectList("models")) {
            modelSteps.put(output.requiredString("model_id"), output.optionalLong("step").orElse(0L));
        }
        models.logOutputs(workspace(ctx), request.requiredString("run_id"), modelSteps);
        Responses.empty(ctx);
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        LoggedModel model = models.create(workspace(ctx), request.requiredString("experiment_id"), request.optionalString("name"),
                request.optionalString("model_type"), request.optionalString("source_run_id"), keyValues(request, "params"),
                keyValues(request, "tags"));
        Responses.json(ctx, Map.of("model", model.json()));
    }

    private void get(Context ctx) {
        Responses.json(ctx, Map.of("model", json(workspace(ctx), List.of(models.get(workspace(ctx), ctx.pathParam("model_id")))).getFirst()));
    }

    /** The models' wire shapes, each with the metric points logged against it. */
    private List<Map<String, Object>> json(String workspace, List<LoggedModel> found) {
        Map<String, List<ModelMetric>> metrics = models.metrics(workspace, found.stream().map(LoggedModel::modelId).toList());
        return found.stream().map(model -> model.json(metrics.getOrDefault(model.modelId(), List.of()))).toList();
    }

    private void finalizeModel(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        LoggedModel model = models.finalize(workspace(ctx), ctx.pathParam("model_id"),
                LoggedModelStatus.parse("status", request.requiredString("status")), request.optionalString("status_message"));
        Responses.json(ctx, Map.of("model", json(workspace(ctx), List.of(model)).getFirst()));
    }

    private void delete(Context ctx) {
        models.delete(workspace(ctx), ctx.pathParam("model_id"));
        Responses.empty(ctx);
    }

    private void setTags(Context ctx) {
        models.setTags(workspace(ctx), ctx.pathParam("model_id"), keyValues(ApiRequest.from(ctx), "tags"));
        Responses.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        models.deleteTag(workspace(ctx), ctx.pathParam("model_id"), ctx.pathParam("tag_key"));
        Responses.empty(ctx);
    }

    private void logParams(Context ctx) {
        models.logParams(workspace(ctx), ctx.pathParam("model_id"), keyValues(ApiRequest.from(ctx), "params"));
        Responses.empty(ctx);
    }

    private void search(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        List<LoggedModelSearch.Order> orderBy = new ArrayList<>();
        for (ApiRequest order : request.objectList("order_by")) {
            orderBy.add(new LoggedModelSearch.Order(order.requiredString("field_name"), order.optionalBoolean("ascending").orElse(true),
                    order.optionalString("dataset_name"), order.optionalString("dataset_digest")));
        }
        List<LoggedModelSearch.DatasetFilter> datasets = new ArrayList<>();
        for (ApiRequest dataset : request.objectList("datasets")) {  // MLflow: a dataset_name is required in each
            datasets.add(new LoggedModelSearch.DatasetFilter(dataset.requiredString("dataset_name"), dataset.optionalString("dataset_digest")));
        }
        Page<LoggedModel> page = models.search(workspace(ctx), request.stringList("experiment_ids"),
                request.optionalString("filter").orElse(""), datasets, orderBy,
                request.optionalInt("max_results").orElse(LoggedModelService.DEFAULT_SEARCH_RESULTS), request.optionalString("page_token"));
        Map<String, Object> body = new Page<>(json(workspace(ctx), page.items()), page.nextPageToken()).body("models");
        if (page.items().isEmpty()) {
            body.remove("models");  // protobuf's JSON leaves an empty repeated field out: MLflow answers {}
        }
        Responses.json(ctx, body);
    }

    private void listArtifacts(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String modelId = ctx.pathParam("model_id");
        String path = request.optionalString("artifact_directory_path").orElse("");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("root_uri", models.get(workspace(ctx), modelId).artifactUri());
        body.put("files", models.listArtifacts(workspace(ctx), modelId, path));
        Responses.json(ctx, body);
    }

    /** Repeated {@code {"key", "value"}} messages as a map; a later key replaces an earlier one. */
    private static Map<String, String> keyValues(ApiRequest request, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ApiRequest entry : request.objectList(field)) {
            values.put(entry.requiredString("key"), entry.optionalString("value").orElse(""));
        }
        return values;
    }
}
