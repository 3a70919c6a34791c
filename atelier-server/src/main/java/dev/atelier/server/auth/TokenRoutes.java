package dev.atelier.server.auth;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
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

/** Native API {@code /api/v1/tokens}: a user's own API tokens. */
public final class TokenRoutes implements RouteTable {
    private final TokenService tokens;

    public TokenRoutes(TokenService tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.server(POST, "/api/v1/tokens", Permission.AUTHENTICATED, this::create),
                Route.server(GET, "/api/v1/tokens", Permission.AUTHENTICATED, this::list),
                Route.server(DELETE, "/api/v1/tokens/{id}", Permission.AUTHENTICATED, this::revoke));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Authentication authentication = Authentication.of(ctx);
        IssuedToken token = tokens.create(authentication.principal(), authentication.token(), request.requiredString("name"),
                request.optionalInt("expires_in_days"), request.optionalString("workspace"),
                request.optionalBoolean("read_only").orElse(false));
        Responses.json(ctx, token);
        ctx.status(201);
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("tokens", tokens.list(Authentication.of(ctx).principal().username())));
    }

    private void revoke(Context ctx) {
        tokens.revoke(Authentication.of(ctx).principal(), ctx.pathParam("id"));
        Responses.empty(ctx);
    }
}
