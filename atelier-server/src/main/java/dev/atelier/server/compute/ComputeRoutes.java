package dev.atelier.server.compute;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Native API {@code /api/v1/computes} (workspace-scoped); changes need {@link Permission#MANAGE_COMPUTE}. */
public final class ComputeRoutes implements RouteTable {
    private final ComputeService computes;

    public ComputeRoutes(ComputeService computes) {
        this.computes = requireNonNull(computes, "computes is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/computes", Permission.MANAGE_COMPUTE, this::create),
                Route.workspace(GET, "/api/v1/computes", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/computes/{name}", Permission.READ, this::get),
                Route.workspace(PATCH, "/api/v1/computes/{name}", Permission.MANAGE_COMPUTE, this::update),
                Route.workspace(DELETE, "/api/v1/computes/{name}", Permission.MANAGE_COMPUTE, this::delete));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        ComputeKind kind = ComputeKind.parse("kind", request.requiredString("kind"));
        Responses.json(ctx, computes.create(RequestContext.workspace(ctx), request.requiredString("name"), kind,
                request.optionalInt("max_concurrent_jobs"), kubernetes(request), request.optionalString("description")));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("computes", computes.list(RequestContext.workspace(ctx))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, computes.get(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, computes.update(RequestContext.workspace(ctx), ctx.pathParam("name"),
                request.optionalInt("max_concurrent_jobs"), kubernetes(request), request.optionalString("description")));
    }

    private void delete(Context ctx) {
        computes.delete(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }

    private static Optional<KubernetesSettings> kubernetes(ApiRequest request) {
        return request.optionalObject("kubernetes").map(settings -> new KubernetesSettings(
                settings.requiredString("namespace"),
                settings.optionalString("kubeconfig").orElse(null),
                settings.optionalString("context").orElse(null),
                settings.optionalString("server_url").orElse(null),
                settings.optionalString("fetch_image").orElse(null),
                settings.optionalString("cpu").orElse(null),
                settings.optionalString("memory").orElse(null),
                settings.optionalString("service_account").orElse(null),
                settings.optionalString("service_url_template").orElse(null)));
    }
}
