package dev.atelier.server.web;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Route;
import io.javalin.http.Context;

import java.util.List;

import static io.javalin.http.HandlerType.GET;

/**
 * {@code GET /login}: the sign-in form. The form's script posts the user name and password as JSON
 * to the session login of the API ({@code POST /api/v1/auth/login}), which sets the session cookie,
 * then goes to {@code next}. Without authentication there is nothing to sign in to: it redirects home.
 */
public final class LoginPage {
    static final String PATH = "/login";

    private final PortalView view;
    private final boolean authEnabled;

    public LoginPage(PortalView view, boolean authEnabled) {
        this.view = view;
        this.authEnabled = authEnabled;
    }

    public List<Route> routes() {
        return List.of(Route.server(GET, PATH, Permission.PUBLIC, this::show));
    }

    private void show(Context ctx) {
        String next = localPath(ctx.queryParam("next"));
        if (!authEnabled) {
            PortalView.redirect(ctx, next);
            return;
        }
        view.render(ctx, "login.jte", new LoginView(next));
    }

    /** Only a path on this server, never another site (no open redirect). */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return "/";
        }
        return next;
    }

    /** What the login page shows. */
    public record LoginView(String next) {
    }
}
