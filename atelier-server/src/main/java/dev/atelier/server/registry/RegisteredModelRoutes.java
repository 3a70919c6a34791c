package dev.atelier.server.registry;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.MlflowApi;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.tracking.Page;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * MLflow's registered-model endpoints (model_registry.proto: CreateRegisteredModel ...
 * GetModelVersionByAlias), with the HTTP methods MLflow's server maps them to.
 */
public final class RegisteredModelRoutes implements RouteTable {
    private final RegistryService registry;

    public RegisteredModelRoutes(RegistryService registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "registered-models/create", Permission.WRITE, this::create));
        routes.addAll(MlflowApi.routes(GET, "registered-models/get", Permission.READ, this::get));
        routes.addAll(MlflowApi.routes(POST, "registered-models/rename", Permission.WRITE, this::rename));
        routes.addAll(MlflowApi.routes(PATCH, "registered-models/update", Permission.WRITE, this::update));
        routes.addAll(MlflowApi.routes(DELETE, "registered-models/delete", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(GET, "registered-models/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(POST, "registered-models/get-latest-versions", Permission.READ, this::getLatestVersions));
        routes.addAll(MlflowApi.routes(GET, "registered-models/get-latest-versions", Permission.READ, this::getLatestVersions));
        routes.addAll(MlflowApi.routes(POST, "registered-models/set-tag", Permission.WRITE, this::setTag));
        routes.addAll(MlflowApi.routes(DELETE, "registered-models/delete-tag", Permission.WRITE, this::deleteTag));
        routes.addAll(MlflowApi.routes(POST, "registered-models/alias", Permission.WRITE, this::setAlias));
        routes.addAll(MlflowApi.routes(DELETE, "registered-models/alias", Permission.WRITE, this::deleteAlias));
        routes.addAll(MlflowApi.routes(GET, "registered-models/alias", Permission.READ, this::getByAlias));
        return routes;
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        RegisteredModel model = registry.createRegisteredModel(workspace(ctx), request.requiredString("name"),
                request.optionalString("description"), RegistryRequests.keyValues(request, "tags"));
        Responses.json(ctx, Map.of("registered_model", model));
    }

    private void get(Context ctx) {
        Responses.json(ctx, Map.of("registered_model", registry.getRegisteredModel(workspace(ctx), ApiRequest.from(ctx).requiredString("name"))));
    }

    private void rename(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("registered_model", registry.renameRegisteredModel(workspace(ctx),
                request.requiredString("name"), request.requiredString("new_name"))));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("registered_model", registry.updateRegisteredModel(workspace(ctx),
                request.requiredString("name"), request.optionalString("description"))));
    }

    private void delete(Context ctx) {
        registry.deleteRegisteredModel(workspace(ctx), ApiRequest.from(ctx).requiredString("name"));
        Responses.empty(ctx);
    }

    private void search(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<RegisteredModel> page = registry.searchRegisteredModels(workspace(ctx), request.optionalString("filter").orElse(""),
                request.stringList("order_by"), request.optionalInt("max_results"), request.optionalString("page_token"));
        Responses.json(ctx, page.body("registered_models"));
    }

    private void getLatestVersions(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("model_versions", registry.getLatestVersions(workspace(ctx),
                request.requiredString("name"), request.stringList("stages"))));
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.setRegisteredModelTag(workspace(ctx), request.requiredString("name"), RegistryRequests.tag(request));
        Responses.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.deleteRegisteredModelTag(workspace(ctx), request.requiredString("name"), request.requiredString("key"));
        Responses.empty(ctx);
    }

    private void setAlias(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.setAlias(workspace(ctx), request.requiredString("name"), request.requiredString("alias"), request.requiredString("version"));
        Responses.empty(ctx);
    }

    /** MLflow's client sends this DELETE with a JSON body; ApiRequest reads the body, or the query when there is none. */
    private void deleteAlias(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.deleteAlias(workspace(ctx), request.requiredString("name"), request.requiredString("alias"));
        Responses.empty(ctx);
    }

    private void getByAlias(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("model_version", registry.getModelVersionByAlias(workspace(ctx),
                request.requiredString("name"), request.requiredString("alias"))));
    }
}
