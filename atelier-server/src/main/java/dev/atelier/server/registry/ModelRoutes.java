package dev.atelier.server.registry;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.tracking.Page;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * The registry in Atelier's native API (workspace-scoped, READ): models, their versions, and a
 * version's detail with lineage, files, flavors and signature, by number or by any
 * {@code models:/} URI. Changes go through MLflow's registry API, which MLflow clients speak.
 * <ul>
 *   <li>{@code GET /api/v1/models?filter=&max_results=&page_token=}: {@code registered_models}, {@code next_page_token}</li>
 *   <li>{@code GET /api/v1/models/{name}}: {@code registered_model} and all its {@code model_versions}</li>
 *   <li>{@code GET /api/v1/models/{name}/versions}: {@code model_versions}, newest first</li>
 *   <li>{@code GET /api/v1/models/{name}/versions/{version}}: a {@link ModelVersionDetail}</li>
 *   <li>{@code GET /api/v1/model-versions/resolve?uri=models:/...}: the {@link ModelVersionDetail} the URI names</li>
 * </ul>
 */
public final class ModelRoutes implements RouteTable {
    private final RegistryService registry;
    private final ModelLineage lineage;

    public ModelRoutes(RegistryService registry) {
        this.registry = requireNonNull(registry, "registry is null");
        this.lineage = new ModelLineage(registry, registry.tracking(), registry.artifacts());
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/api/v1/models", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/models/{name}", Permission.READ, this::show),
                Route.workspace(GET, "/api/v1/models/{name}/versions", Permission.READ, this::versions),
                Route.workspace(GET, "/api/v1/models/{name}/versions/{version}", Permission.READ, this::version),
                Route.workspace(GET, "/api/v1/model-versions/resolve", Permission.READ, this::resolve));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<RegisteredModel> page = registry.searchRegisteredModels(workspace(ctx), request.optionalString("filter").orElse(""),
                request.stringList("order_by"), request.optionalInt("max_results"), request.optionalString("page_token"));
        Responses.json(ctx, page.body("registered_models"));
    }

    private void show(Context ctx) {
        String name = ctx.pathParam("name");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("registered_model", registry.getRegisteredModel(workspace(ctx), name));
        body.put("model_versions", registry.versionsOf(workspace(ctx), name));
        Responses.json(ctx, body);
    }

    private void versions(Context ctx) {
        Responses.json(ctx, Map.of("model_versions", registry.versionsOf(workspace(ctx), ctx.pathParam("name"))));
    }

    private void version(Context ctx) {
        ModelVersion version = registry.getModelVersion(workspace(ctx), ctx.pathParam("name"), ctx.pathParam("version"));
        Responses.json(ctx, lineage.detail(workspace(ctx), version));
    }

    private void resolve(Context ctx) {
        ModelVersion version = registry.resolve(workspace(ctx), ApiRequest.from(ctx).requiredString("uri"));
        Responses.json(ctx, lineage.detail(workspace(ctx), version));
    }
}
