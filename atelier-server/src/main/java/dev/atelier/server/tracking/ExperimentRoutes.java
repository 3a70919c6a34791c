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
import java.util.List;
import java.util.Map;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** MLflow's experiment endpoints (service.proto: CreateExperiment ... DeleteExperimentTag). */
public final class ExperimentRoutes implements RouteTable {
    private final TrackingService tracking;

    public ExperimentRoutes(TrackingService tracking) {
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "experiments/create", Permission.WRITE, this::create));
        routes.addAll(MlflowApi.routes(GET, "experiments/get", Permission.READ, this::get));
        routes.addAll(MlflowApi.routes(GET, "experiments/get-by-name", Permission.READ, this::getByName));
        routes.addAll(MlflowApi.routes(POST, "experiments/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(GET, "experiments/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(POST, "experiments/update", Permission.WRITE, this::update));
        routes.addAll(MlflowApi.routes(POST, "experiments/delete", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(POST, "experiments/restore", Permission.WRITE, this::restore));
        routes.addAll(MlflowApi.routes(POST, "experiments/set-experiment-tag", Permission.WRITE, this::setTag));
        routes.addAll(MlflowApi.routes(POST, "experiments/delete-experiment-tag", Permission.WRITE, this::deleteTag));
        return routes;
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Experiment experiment = tracking.createExperiment(workspace(ctx), request.requiredString("name"),
                request.optionalString("artifact_location"), TrackingRequests.keyValues(request, "tags"));
        Responses.json(ctx, Map.of("experiment_id", experiment.experimentId()));
    }

    private void get(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("experiment", tracking.getExperiment(workspace(ctx), request.requiredString("experiment_id"))));
    }

    private void getByName(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("experiment", tracking.getExperimentByName(workspace(ctx), request.requiredString("experiment_name"))));
    }

    private void search(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        ExperimentQuery query = new ExperimentQuery(request.optionalString("filter").orElse(""),
                ViewType.parse(request.optionalString("view_type").orElse("")), request.stringList("order_by"));
        int maxResults = request.optionalInt("max_results").orElse(TrackingLimits.DEFAULT_SEARCH_RESULTS);
        Page<Experiment> page = tracking.searchExperiments(workspace(ctx), query, maxResults, request.optionalString("page_token"));
        Responses.json(ctx, page.body("experiments"));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String experimentId = request.requiredString("experiment_id");
        request.optionalString("new_name").ifPresent(name -> tracking.renameExperiment(workspace(ctx), experimentId, name));
        Responses.empty(ctx);
    }

    private void delete(Context ctx) {
        tracking.deleteExperiment(workspace(ctx), ApiRequest.from(ctx).requiredString("experiment_id"));
        Responses.empty(ctx);
    }

    private void restore(Context ctx) {
        tracking.restoreExperiment(workspace(ctx), ApiRequest.from(ctx).requiredString("experiment_id"));
        Responses.empty(ctx);
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        tracking.setExperimentTag(workspace(ctx), request.requiredString("experiment_id"),
                new KeyValue(request.requiredString("key"), request.requiredString("value")));
        Responses.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        tracking.deleteExperimentTag(workspace(ctx), request.requiredString("experiment_id"), request.requiredString("key"));
        Responses.empty(ctx);
    }
}
