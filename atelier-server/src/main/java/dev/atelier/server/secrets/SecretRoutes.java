package dev.atelier.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.OptionalInt;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/secrets} (workspace-scoped) and {@code /api/v1/admin/rotate-master-key},
 * as docs/security.md lists them. The value route requires {@link Permission#READ_SECRET_VALUE}, which
 * makes the audit log record it although it is a GET.
 */
public final class SecretRoutes implements RouteTable {
    private final SecretService secrets;

    public SecretRoutes(SecretService secrets) {
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/secrets", Permission.MANAGE_SECRETS, this::create),
                Route.workspace(PUT, "/api/v1/secrets/{name}", Permission.MANAGE_SECRETS, this::update),
                Route.workspace(GET, "/api/v1/secrets", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/secrets/{name}", Permission.READ, this::get),
                Route.workspace(GET, "/api/v1/secrets/{name}/value", Permission.READ_SECRET_VALUE, this::readValue),
                Route.workspace(DELETE, "/api/v1/secrets/{name}", Permission.MANAGE_SECRETS, this::delete),
                Route.server(POST, "/api/v1/admin/rotate-master-key", Permission.SERVER_ADMIN, this::rotateMasterKey));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, secrets.create(RequestContext.workspace(ctx), request.requiredString("name"), value(request),
                request.optionalString("description"), RequestContext.principal(ctx).username()));
        ctx.status(201);
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, secrets.update(RequestContext.workspace(ctx), ctx.pathParam("name"), value(request),
                request.optionalString("description"), RequestContext.principal(ctx).username()));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("secrets", secrets.list(RequestContext.workspace(ctx))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, secrets.get(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void readValue(Context ctx) {
        OptionalInt version = ApiRequest.from(ctx).optionalInt("version").map(OptionalInt::of).orElse(OptionalInt.empty());
        Responses.json(ctx, secrets.readValue(RequestContext.workspace(ctx), ctx.pathParam("name"), version));
    }

    private void delete(Context ctx) {
        secrets.delete(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }

    private void rotateMasterKey(Context ctx) {
        Responses.json(ctx, secrets.rotateMasterKey());
    }

    /** The {@code value} field, which must be a JSON string; the error never echoes what was sent. */
    private static String value(ApiRequest request) {
        JsonNode node = request.json().get("value");
        if (node == null || node.isNull()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'value'");
        }
        if (!node.isTextual()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'value': expected a string");
        }
        return node.textValue();
    }
}
