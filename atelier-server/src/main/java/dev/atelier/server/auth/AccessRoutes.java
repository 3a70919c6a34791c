package dev.atelier.server.auth;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Native API {@code /api/v1/access} (workspace-scoped): who holds which role in the workspace. */
public final class AccessRoutes implements RouteTable {
    private final AccessService access;

    public AccessRoutes(AccessService access) {
        this.access = requireNonNull(access, "access is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/api/v1/access", Permission.READ, this::list),
                Route.workspace(POST, "/api/v1/access", Permission.MANAGE_ACCESS, this::grant),
                Route.workspace(DELETE, "/api/v1/access/{username}", Permission.MANAGE_ACCESS, this::revoke));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("assignments", access.assignments(RequestContext.workspace(ctx))));
    }

    private void grant(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String username = request.requiredString("username");
        Role role = Role.fromDisplayName(request.requiredString("role"));
        access.grant(RequestContext.workspace(ctx), username, role);
        Responses.empty(ctx);
    }

    private void revoke(Context ctx) {
        access.revoke(RequestContext.workspace(ctx), ctx.pathParam("username"));
        Responses.empty(ctx);
    }
}
