package dev.atelier.server.environments;

import dev.atelier.api.AtelierException;
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

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Native API {@code /api/v1/environments} (workspace-scoped); docs/jobs.md lists the routes. */
public final class EnvironmentRoutes implements RouteTable {
    private final EnvironmentService environments;

    public EnvironmentRoutes(EnvironmentService environments) {
        this.environments = requireNonNull(environments, "environments is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/environments", Permission.WRITE, this::create),
                Route.workspace(GET, "/api/v1/environments", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/environments/{name}", Permission.READ, this::latest),
                Route.workspace(GET, "/api/v1/environments/{name}/versions", Permission.READ, this::versions),
                Route.workspace(GET, "/api/v1/environments/{name}/versions/{version}", Permission.READ, this::version));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        EnvironmentKind kind = EnvironmentKind.parse("kind", request.requiredString("kind"));
        Responses.json(ctx, environments.create(RequestContext.workspace(ctx), request.requiredString("name"), kind,
                request.optionalString("executable"), request.optionalString("image"), request.optionalString("requirements"),
                request.optionalString("description"), RequestContext.principal(ctx).username()));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("environments", environments.list(RequestContext.workspace(ctx))));
    }

    private void latest(Context ctx) {
        Responses.json(ctx, environments.get(RequestContext.workspace(ctx), ctx.pathParam("name"), Optional.empty()));
    }

    private void versions(Context ctx) {
        Responses.json(ctx, Map.of("environments", environments.versions(RequestContext.workspace(ctx), ctx.pathParam("name"))));
    }

    private void version(Context ctx) {
        String text = ctx.pathParam("version");
        int version;
        try {
            version = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid version '" + text + "': expected a positive integer");
        }
        Responses.json(ctx, environments.get(RequestContext.workspace(ctx), ctx.pathParam("name"), Optional.of(version)));
    }
}
