package dev.atelier.server.components;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.DocumentBody;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/components} (workspace-scoped); docs/components.md lists the routes. A component is
 * registered as its document: JSON, or YAML when the Content-Type says so.
 */
public final class ComponentRoutes implements RouteTable {
    private final ComponentService components;

    public ComponentRoutes(ComponentService components) {
        this.components = requireNonNull(components, "components is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/components", Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, "/api/v1/components", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/components/{name}", Permission.READ, this::latest),
                Route.workspace(GET, "/api/v1/components/{name}/versions", Permission.READ, this::versions),
                Route.workspace(GET, "/api/v1/components/{name}/versions/{version}", Permission.READ, this::version),
                Route.workspace(POST, "/api/v1/components/{name}/archive", Permission.WRITE, this::archive),
                Route.workspace(POST, "/api/v1/components/{name}/restore", Permission.WRITE, this::restore));
    }

    private void create(Context ctx) {
        Responses.json(ctx, components.create(RequestContext.workspace(ctx), RequestContext.principal(ctx).username(),
                DocumentBody.read(ctx, "component", " (name, type, command, inputs, ...)")));
    }

    /** {@code ?include_archived=true} lists components whose every version is archived, and archived latest versions. */
    private void list(Context ctx) {
        boolean includeArchived = ApiRequest.from(ctx).optionalBoolean("include_archived").orElse(false);
        Responses.json(ctx, Map.of("components", components.list(RequestContext.workspace(ctx), includeArchived)));
    }

    private void latest(Context ctx) {
        Responses.json(ctx, components.get(RequestContext.workspace(ctx), ctx.pathParam("name"), Optional.empty()));
    }

    private void versions(Context ctx) {
        Responses.json(ctx, Map.of("components", components.versions(RequestContext.workspace(ctx), ctx.pathParam("name"))));
    }

    private void version(Context ctx) {
        Responses.json(ctx, components.get(RequestContext.workspace(ctx), ctx.pathParam("name"), Optional.of(ctx.pathParam("version"))));
    }

    /** Body {@code {"version": "..."}} for one version; none (or no version) for every version of the name. */
    private void archive(Context ctx) {
        Responses.json(ctx, Map.of("components", components.archive(RequestContext.workspace(ctx), ctx.pathParam("name"),
                ApiRequest.from(ctx).optionalString("version"))));
    }

    private void restore(Context ctx) {
        Responses.json(ctx, Map.of("components", components.restore(RequestContext.workspace(ctx), ctx.pathParam("name"),
                ApiRequest.from(ctx).optionalString("version"))));
    }
}
