package dev.atelier.server.scorers;

import dev.atelier.api.AtelierException;
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
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's scorer endpoints under {@code /api/3.0/mlflow/scorers/}: {@code register} (POST), {@code list},
 * {@code list-versions}, {@code get} (GET), {@code delete} (DELETE, and POST as MLflow's auth table lists it). Reads
 * are READ and changes WRITE on the workspace, as the experiment's runs. Thread-safe (stateless).
 */
public final class ScorerRoutes implements RouteTable {
    private final ScorerService scorers;

    public ScorerRoutes(ScorerService scorers) {
        this.scorers = requireNonNull(scorers, "scorers is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.v3Routes(POST, "scorers/register", Permission.WRITE, this::register));
        routes.addAll(MlflowApi.v3Routes(GET, "scorers/list", Permission.READ, this::list));
        routes.addAll(MlflowApi.v3Routes(GET, "scorers/list-versions", Permission.READ, this::versions));
        routes.addAll(MlflowApi.v3Routes(GET, "scorers/get", Permission.READ, this::get));
        routes.addAll(MlflowApi.v3Routes(DELETE, "scorers/delete", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.v3Routes(POST, "scorers/delete", Permission.WRITE, this::delete));
        return routes;
    }

    /** RegisterScorer's answer is flat: version, scorer_id, experiment_id, name, serialized_scorer, creation_time. */
    private void register(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Scorer scorer = scorers.register(workspace(ctx), request.requiredString("experiment_id"), request.requiredString("name"),
                request.requiredString("serialized_scorer"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", scorer.version());
        json.put("scorer_id", scorer.scorerId());
        json.put("experiment_id", scorer.experimentId());
        json.put("name", scorer.name());
        json.put("serialized_scorer", scorer.serializedScorer());
        json.put("creation_time", scorer.creationTimeMs());
        Responses.json(ctx, json);
    }

    /** ListScorers: {@code experiment_id} or {@code experiment_ids}, not both. */
    private void list(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        List<String> experimentIds = request.stringList("experiment_ids");
        if (request.optionalString("experiment_id").isPresent() == !experimentIds.isEmpty()) {
            throw AtelierException.invalidParameter("Exactly one of 'experiment_id' and 'experiment_ids' must be specified.");
        }
        if (!request.stringList("scorer_keys").isEmpty()) {
            throw AtelierException.invalidParameter("'scorer_keys' is not supported by this server; list by experiment instead");
        }
        List<Scorer> found = scorers.list(workspace(ctx), experimentIds.isEmpty() ? List.of(request.requiredString("experiment_id"))
                : experimentIds);
        body(ctx, found);
    }

    private void versions(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        body(ctx, scorers.versions(workspace(ctx), request.requiredString("experiment_id"), request.requiredString("name")));
    }

    private void get(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Scorer scorer = scorers.get(workspace(ctx), request.requiredString("experiment_id"), request.requiredString("name"),
                request.optionalInt("version"));
        Responses.json(ctx, Map.of("scorer", scorer.json()));
    }

    private void delete(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        scorers.delete(workspace(ctx), request.requiredString("experiment_id"), request.requiredString("name"),
                request.optionalInt("version"));
        Responses.empty(ctx);
    }

    /** {@code {"scorers": [...]}}, or {@code {}} for none (protobuf's JSON leaves an empty repeated field out). */
    private static void body(Context ctx, List<Scorer> found) {
        Responses.json(ctx, found.isEmpty() ? Map.of() : Map.of("scorers", found.stream().map(Scorer::json).toList()));
    }
}
