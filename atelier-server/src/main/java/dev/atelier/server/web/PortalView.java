package dev.atelier.server.web;

import dev.atelier.api.Workspace;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.workspace.WorkspaceService;
import dev.atelier.server.workspace.WorkspaceVisibility;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.javalin.http.Context;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Renders portal pages: builds the {@link PageFrame} of a request (workspace switcher with the
 * workspaces the user may see, navigation, breadcrumbs, CSRF token) and writes a precompiled jte
 * template as HTML, escaped by the template engine. Thread-safe once {@link #navigation} is set.
 */
public final class PortalView {
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final WorkspaceService workspaces;
    private final WorkspaceVisibility visibility;
    private final Authorizer authorizer;
    private volatile List<NavItem> navigation = List.of();

    public PortalView(WorkspaceService workspaces, WorkspaceVisibility visibility, Authorizer authorizer) {
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.visibility = requireNonNull(visibility, "visibility is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    void navigation(List<NavItem> items) {
        this.navigation = items.stream().sorted(Comparator.comparingInt(NavItem::order)).toList();
    }

    /** The URL prefix of a workspace's pages: empty for {@code default}, {@code /w/<name>} otherwise. */
    public static String base(String workspace) {
        return Workspace.DEFAULT.equals(workspace) ? "" : "/w/" + workspace;
    }

    /** The frame of a page of the request's workspace; {@code area} is the navigation entry to highlight. */
    public PageFrame frame(Context ctx, String area, String title, Breadcrumb... breadcrumbs) {
        String workspace = RequestContext.workspace(ctx);
        Principal principal = RequestContext.principal(ctx);
        List<String> visible = workspaces.list().stream().map(Workspace::name)
                .filter(name -> visibility.canSee(principal, name)).toList();
        return new PageFrame(title, workspace, base(workspace), visible, navigation, area, List.of(breadcrumbs),
                principal.username(), RequestContext.csrfToken(ctx),
                authorizer.permits(principal, Permission.WRITE, Optional.of(workspace)),
                principal.method() == Principal.Method.SESSION);
    }

    /**
     * The frame of an error page: the navigation of the workspace the path names ({@code /w/<name>/...}, else
     * {@code default}) and nothing read from the stores, since the error may be that the workspace, the user or
     * the session is unknown.
     */
    public PageFrame errorFrame(Context ctx, String title) {
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("^/w/([^/]+)").matcher(ctx.path());
        String workspace = named.find() ? named.group(1) : Workspace.DEFAULT;
        return new PageFrame(title, workspace, base(workspace), List.of(workspace), navigation, "", List.of(Breadcrumb.here(title)),
                "", Optional.empty(), false, false);
    }

    /** Whether the request's user holds {@code permission} in the request's workspace. */
    public boolean permits(Context ctx, Permission permission) {
        return authorizer.permits(RequestContext.principal(ctx), permission, Optional.of(RequestContext.workspace(ctx)));
    }

    /** Whether the request's user holds {@code permission} outside workspaces (server administration). */
    public boolean permitsOnServer(Context ctx, Permission permission) {
        return authorizer.permits(RequestContext.principal(ctx), permission, Optional.empty());
    }

    /** Writes {@code template} (a path under src/main/jte, such as {@code tracking/run.jte}) with its one parameter. */
    public void render(Context ctx, String template, Object model) {
        render(ctx, 200, template, model);
    }

    public void render(Context ctx, int status, String template, Object model) {
        Utf8ByteOutput output = new Utf8ByteOutput();
        templates.render(template, model, output);
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.result(output.toByteArray());
    }

    /**
     * Sends the browser to {@code location} after an action: htmx requests get {@code HX-Redirect}
     * (htmx follows it with a full page load), plain ones a 303.
     */
    public static void redirect(Context ctx, String location) {
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", location);
            ctx.status(204);
        } else {
            ctx.redirect(location, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }
}
