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
 * MLflow's model-version endpoints (model_registry.proto: CreateModelVersion ...
 * DeleteModelVersionTag). Search results leave out aliases, as MLflow's do.
 */
public final class ModelVersionRoutes implements RouteTable {
    private final RegistryService registry;

    public ModelVersionRoutes(RegistryService registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "model-versions/create", Permission.WRITE, this::create));
        routes.addAll(MlflowApi.routes(GET, "model-versions/get", Permission.READ, this::get));
        routes.addAll(MlflowApi.routes(PATCH, "model-versions/update", Permission.WRITE, this::update));
        routes.addAll(MlflowApi.routes(DELETE, "model-versions/delete", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(GET, "model-versions/search", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(POST, "model-versions/transition-stage", Permission.WRITE, this::transitionStage));
        routes.addAll(MlflowApi.routes(GET, "model-versions/get-download-uri", Permission.READ, this::getDownloadUri));
        routes.addAll(MlflowApi.routes(POST, "model-versions/set-tag", Permission.WRITE, this::setTag));
        routes.addAll(MlflowApi.routes(DELETE, "model-versions/delete-tag", Permission.WRITE, this::deleteTag));
        return routes;
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        ModelVersion version = registry.createModelVersion(workspace(ctx), new NewModelVersion(request.requiredString("name"),
                request.requiredString("source"), request.optionalString("run_id").filter(id -> !id.isEmpty()),
                RegistryRequests.keyValues(request, "tags"), request.optionalString("description").orElse(""),
                request.optionalString("model_id").filter(id -> !id.isEmpty())));
        Responses.json(ctx, Map.of("model_version", version));
    }

    private void get(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("model_version", registry.getModelVersion(workspace(ctx),
                request.requiredString("name"), request.requiredString("version"))));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("model_version", registry.updateModelVersion(workspace(ctx),
                request.requiredString("name"), request.requiredString("version"), request.optionalString("description"))));
    }

    private void delete(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.deleteModelVersion(workspace(ctx), request.requiredString("name"), request.requiredString("version"));
        Responses.empty(ctx);
    }

    private void search(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<ModelVersion> page = registry.searchModelVersions(workspace(ctx), request.optionalString("filter").orElse(""),
                request.stringList("order_by"), request.optionalInt("max_results"), request.optionalString("page_token"));
        Responses.json(ctx, page.body("model_versions"));
    }

    private void transitionStage(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("model_version", registry.transitionStage(workspace(ctx), request.requiredString("name"),
                request.requiredString("version"), request.requiredString("stage"),
                request.optionalBoolean("archive_existing_versions").orElse(false))));
    }

    private void getDownloadUri(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("artifact_uri", registry.getDownloadUri(workspace(ctx),
                request.requiredString("name"), request.requiredString("version"))));
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.setModelVersionTag(workspace(ctx), request.requiredString("name"), request.requiredString("version"),
                RegistryRequests.tag(request));
        Responses.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        registry.deleteModelVersionTag(workspace(ctx), request.requiredString("name"), request.requiredString("version"),
                request.requiredString("key"));
        Responses.empty(ctx);
    }
}
