package dev.atelier.server.environments;

import dev.atelier.api.AtelierException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** Native API {@code /api/v1/environments} (workspace-scoped); docs/jobs.md lists the routes. */
public final class EnvironmentRoutes implements RouteTable {
    private final EnvironmentService environments;

    public EnvironmentRoutes(EnvironmentService environments) {
        this.environments = requireNonNull(environments, "environments is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/environments", Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, "/api/v1/environments", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/environments/{name}", Permission.READ, this::latest),
                Route.workspace(GET, "/api/v1/environments/{name}/versions", Permission.READ, this::versions),
                Route.workspace(GET, "/api/v1/environments/{name}/versions/{version}", Permission.READ, this::version),
                Route.workspace(GET, "/api/v1/environments/{name}/versions/{version}/build", Permission.READ, this::build));
    }

    /**
     * A document in Azure ML's shape ({@link EnvironmentDocument}, YAML or JSON), or the older form with {@code kind}
     * ({@code process} with {@code executable}, {@code image} with {@code image}).
     */
    private void create(Context ctx) {
        ObjectNode document = DocumentBody.read(ctx, "environment", " (name, python, requirements, image, ...)");
        if (!document.has("kind")) {
            Responses.json(ctx, environments.create(RequestContext.workspace(ctx), EnvironmentDocument.parse(document),
                    RequestContext.principal(ctx).username()));
            return;
        }
        ApiRequest request = ApiRequest.of(document);
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
        Responses.json(ctx, environments.get(RequestContext.workspace(ctx), ctx.pathParam("name"), Optional.of(versionOf(ctx))));
    }

    /** {@code {"state": "built", "digest": "<sha256>", "log": "..."}}: the build of a python environment (docs/jobs.md). */
    private void build(Context ctx) {
        Responses.json(ctx, environments.build(RequestContext.workspace(ctx), ctx.pathParam("name"), versionOf(ctx)));
    }

    private static int versionOf(Context ctx) {
        String text = ctx.pathParam("version");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid version '" + text + "': expected a positive integer");
        }
    }
}
