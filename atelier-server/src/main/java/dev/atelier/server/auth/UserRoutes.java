package dev.atelier.server.auth;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Native API {@code /api/v1/users}: server admins manage users. */
public final class UserRoutes implements RouteTable {
    private final UserService users;

    public UserRoutes(UserService users) {
        this.users = requireNonNull(users, "users is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.server(POST, "/api/v1/users", Permission.SERVER_ADMIN, this::create),
                Route.server(GET, "/api/v1/users", Permission.SERVER_ADMIN, this::list),
                Route.server(GET, "/api/v1/users/{username}", Permission.SERVER_ADMIN, this::get),
                Route.server(PATCH, "/api/v1/users/{username}", Permission.SERVER_ADMIN, this::update),
                Route.server(POST, "/api/v1/users/{username}/reset-password", Permission.SERVER_ADMIN, this::resetPassword));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        User user = users.create(request.requiredString("username"), request.requiredString("password"),
                request.optionalString("display_name").orElse(""), request.optionalString("email").orElse(""),
                request.optionalBoolean("server_admin").orElse(false),
                request.optionalBoolean("must_change_password").orElse(false));
        Responses.json(ctx, user);
        ctx.status(201);
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("users", users.list()));
    }

    private void get(Context ctx) {
        Responses.json(ctx, users.get(ctx.pathParam("username")));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, users.update(ctx.pathParam("username"), request.optionalString("display_name"),
                request.optionalString("email"), request.optionalBoolean("disabled"), request.optionalBoolean("server_admin")));
    }

    /** {@code {"new_password"?, "revoke_tokens"?}} answers {@code {"password", "revoked_tokens"}}. */
    private void resetPassword(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        UserService.PasswordReset reset = users.resetPassword(ctx.pathParam("username"), request.optionalString("new_password"),
                request.optionalBoolean("revoke_tokens").orElse(false));
        Responses.json(ctx, Map.of("password", reset.password(), "revoked_tokens", reset.revokedTokens()));
    }
}
