package dev.atelier.server.workspace;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Native API {@code /api/v1/workspaces}. */
public final class WorkspaceRoutes implements RouteTable {
    private final WorkspaceService workspaces;
    private final WorkspaceVisibility visibility;

    public WorkspaceRoutes(WorkspaceService workspaces) {
        this(workspaces, WorkspaceVisibility.ALL);
    }

    /** Lists and shows only the workspaces {@code visibility} lets the caller see. */
    public WorkspaceRoutes(WorkspaceService workspaces, WorkspaceVisibility visibility) {
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.visibility = requireNonNull(visibility, "visibility is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.server(POST, "/api/v1/workspaces", Permission.SERVER_ADMIN, this::create),
                Route.server(GET, "/api/v1/workspaces", Permission.AUTHENTICATED, this::list),
                Route.server(GET, "/api/v1/workspaces/{name}", Permission.AUTHENTICATED, this::get),
                Route.server(PATCH, "/api/v1/workspaces/{name}", Permission.SERVER_ADMIN, this::update),
                Route.server(DELETE, "/api/v1/workspaces/{name}", Permission.SERVER_ADMIN, this::delete));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, workspaces.create(request.requiredString("name"),
                request.optionalString("description").orElse(""), tags(request, false)));
        ctx.status(201);
    }

    private void list(Context ctx) {
        Principal principal = RequestContext.principal(ctx);
        Responses.json(ctx, Map.of("workspaces", workspaces.list().stream()
                .filter(workspace -> visibility.canSee(principal, workspace.name()))
                .toList()));
    }

    /** A workspace the caller may not see answers as if it did not exist. */
    private void get(Context ctx) {
        String name = ctx.pathParam("name");
        if (!visibility.canSee(RequestContext.principal(ctx), name)) {
            throw AtelierException.notFound("Workspace '" + name + "' does not exist");
        }
        Responses.json(ctx, workspaces.get(name));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, workspaces.update(ctx.pathParam("name"), request.optionalString("description"), tags(request, true)));
    }

    private void delete(Context ctx) {
        boolean force = "true".equalsIgnoreCase(ctx.queryParam("force"));
        workspaces.delete(ctx.pathParam("name"), force);
        Responses.empty(ctx);
    }

    /** Tags as a JSON object of strings; with {@code allowNull} a null value removes the tag. */
    private static Map<String, String> tags(ApiRequest request, boolean allowNull) {
        var node = request.json().get("tags");
        Map<String, String> tags = new HashMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'tags': expected an object of strings");
        }
        node.properties().forEach(entry -> {
            if (entry.getValue().isNull() && allowNull) {
                tags.put(entry.getKey(), null);
            } else if (entry.getValue().isTextual()) {
                tags.put(entry.getKey(), entry.getValue().textValue());
            } else {
                throw AtelierException.invalidParameter("Invalid value for tag '" + entry.getKey() + "': expected a string");
            }
        });
        return tags;
    }
}
