package dev.atelier.server.auth;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Native API {@code /api/v1/auth}: login and logout of portal sessions, who am I, own password change. */
public final class AuthRoutes implements RouteTable {
    static final String LOGIN = "/api/v1/auth/login";
    static final String LOGOUT = "/api/v1/auth/logout";
    static final String ME = "/api/v1/auth/me";
    static final String PASSWORD = "/api/v1/auth/password";
    /** A login body is a user name and a password: anything larger is refused before it is parsed. */
    static final int MAX_LOGIN_BODY_BYTES = 16 * 1024;

    private final UserService users;
    private final SessionService sessions;
    private final AccessService access;

    public AuthRoutes(UserService users, SessionService sessions, AccessService access) {
        this.users = requireNonNull(users, "users is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.access = requireNonNull(access, "access is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.server(POST, LOGIN, Permission.PUBLIC, this::login).withBodyLimit(MAX_LOGIN_BODY_BYTES),
                Route.server(POST, LOGOUT, Permission.AUTHENTICATED, this::logout),
                Route.server(GET, ME, Permission.AUTHENTICATED, this::me),
                Route.server(POST, PASSWORD, Permission.AUTHENTICATED, this::changePassword).withBodyLimit(MAX_LOGIN_BODY_BYTES));
    }

    private void login(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        User user = users.checkPassword(request.requiredString("username"), request.requiredString("password"),
                RequestContext.clientAddress(ctx));
        String secret = sessions.start(user.username());
        ctx.header("Set-Cookie", SessionCookie.set(secret, SessionService.LIFETIME, SessionCookie.secure(ctx)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("username", user.username());
        answer.put("csrf_token", SessionService.csrfToken(secret));
        answer.put("must_change_password", user.mustChangePassword());
        Responses.json(ctx, answer);
    }

    /** Ends the session of a cookie-authenticated request; with a token or Basic there is nothing to end. */
    private void logout(Context ctx) {
        Authentication authentication = Authentication.of(ctx);
        authentication.sessionSecret().ifPresent(secret -> {
            sessions.end(secret);
            ctx.header("Set-Cookie", SessionCookie.clear(SessionCookie.secure(ctx)));
        });
        Responses.empty(ctx);
    }

    private void me(Context ctx) {
        Authentication authentication = Authentication.of(ctx);
        User user = authentication.user();
        Map<String, String> roles = new LinkedHashMap<>();
        access.rolesOf(user.username()).forEach((workspace, role) -> {
            if (authentication.principal().tokenWorkspace().map(workspace::equals).orElse(true)) {
                roles.put(workspace, role.displayName());
            }
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("username", user.username());
        answer.put("display_name", user.displayName());
        answer.put("email", user.email());
        answer.put("server_admin", user.serverAdmin());
        answer.put("must_change_password", user.mustChangePassword());
        answer.put("roles", roles);
        authentication.sessionSecret().ifPresent(secret -> answer.put("csrf_token", SessionService.csrfToken(secret)));
        Responses.json(ctx, answer);
    }

    private void changePassword(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String current = request.requiredString("current_password");
        String next = request.requiredString("new_password");
        Authentication authentication = Authentication.of(ctx);
        users.changePassword(authentication.user().username(), current, next, RequestContext.clientAddress(ctx),
                authentication.sessionSecret().map(SessionService::hash).orElse(null));
        Responses.empty(ctx);
    }
}
