package dev.atelier.server.web;

import dev.atelier.api.ErrorCode;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Errors of portal routes as HTML: an unauthenticated browser is sent to the login page (with the
 * page it asked for), htmx requests get a message swapped into the page's flash area, and other
 * errors a page with the status and message (403, 404, 400...).
 */
public final class PortalErrorPage implements dev.atelier.server.http.ErrorPage {
    private final PortalView view;

    public PortalErrorPage(PortalView view) {
        this.view = requireNonNull(view, "view is null");
    }

    /** An error page: the portal's frame (navigation included) around the error. */
    public record Page(PageFrame frame, ErrorView error) {
    }

    /** Clients that do not ask for HTML (API clients, scripts) get the API's JSON error. */
    @Override
    public boolean write(Context ctx, ErrorCode code, String message) {
        boolean htmx = ctx.header("HX-Request") != null;
        String accept = ctx.header("Accept");
        if (!htmx && (accept == null || !accept.contains("text/html"))) {
            return false;
        }
        if (code == ErrorCode.UNAUTHENTICATED) {
            ctx.res().setHeader("WWW-Authenticate", null);
            String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            String login = LoginPage.PATH + "?next=" + URLEncoder.encode(htmx ? "/" : next, StandardCharsets.UTF_8);
            if (htmx) {
                ctx.header("HX-Redirect", login);
                ctx.status(401);
            } else {
                ctx.redirect(login, io.javalin.http.HttpStatus.SEE_OTHER);
            }
            return true;
        }
        ErrorView error = new ErrorView(code.httpStatus(), code.name(), message);
        if (htmx) {
            ctx.header("HX-Retarget", "#flash");
            ctx.header("HX-Reswap", "innerHTML");
            view.render(ctx, code.httpStatus(), "flash.jte", error);
        } else {
            view.render(ctx, code.httpStatus(), "error.jte", new Page(view.errorFrame(ctx, error.title()), error));
        }
        return true;
    }
}
