package dev.atelier.server.web.settings;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.secrets.Secret;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.secrets.SecretValue;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Secrets ({@code /settings/secrets}): names, versions and descriptions for everyone with READ;
 * create, new version and delete with MANAGE_SECRETS; "Show value" with READ_SECRET_VALUE.
 *
 * <p>A value is never part of a page: "Show value" posts (with the CSRF token) to
 * {@code /settings/secrets/{name}/value}, whose answer is a small fragment holding the current
 * value, sent {@code Cache-Control: no-store}, and swapped into that row only (marked
 * {@code hx-history="false"}, so htmx keeps no copy). The route requires READ_SECRET_VALUE, so the
 * audit log records every such read, allowed, denied or failed, exactly as it records
 * {@code GET /api/v1/secrets/{name}/value}: the request observer keys on that permission.
 */
public final class SecretSettings {
    private final PortalView view;
    private final SecretService secrets;

    SecretSettings(PortalView view, SecretService secrets) {
        this.view = requireNonNull(view, "view is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/settings/secrets", Permission.READ, this::list),
                Route.workspace(POST, "/settings/secrets", Permission.MANAGE_SECRETS, this::create),
                Route.workspace(POST, "/settings/secrets/{name}/versions", Permission.MANAGE_SECRETS, this::addVersion),
                Route.workspace(POST, "/settings/secrets/{name}/delete", Permission.MANAGE_SECRETS, this::delete),
                Route.workspace(POST, "/settings/secrets/{name}/value", Permission.READ_SECRET_VALUE, this::reveal));
    }

    private void list(Context ctx) {
        SettingsTabs tabs = SettingsPages.tabs(view, ctx, "secrets", "Secrets");
        view.render(ctx, "settings/secrets.jte", new SecretsView(tabs.frame(), tabs, secrets.list(RequestContext.workspace(ctx)),
                view.permits(ctx, Permission.MANAGE_SECRETS), view.permits(ctx, Permission.READ_SECRET_VALUE)));
    }

    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = requiredName(ctx);
        secrets.create(workspace, name, value(ctx), Optional.ofNullable(ctx.formParam("description")).map(String::strip),
                RequestContext.principal(ctx).username());
        PortalView.redirect(ctx, PortalView.base(workspace) + "/settings/secrets");
    }

    /** Stores the next version; a blank description keeps the current one. */
    private void addVersion(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        secrets.update(workspace, ctx.pathParam("name"), value(ctx),
                Optional.ofNullable(ctx.formParam("description")).map(String::strip).filter(text -> !text.isEmpty()),
                RequestContext.principal(ctx).username());
        PortalView.redirect(ctx, PortalView.base(workspace) + "/settings/secrets");
    }

    private void delete(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        secrets.delete(workspace, ctx.pathParam("name"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/settings/secrets");
    }

    /** The current value, as a fragment for the secret's row; never stored, never cached (see the class comment). */
    private void reveal(Context ctx) {
        SecretValue value = secrets.readValue(RequestContext.workspace(ctx), ctx.pathParam("name"), OptionalInt.empty());
        ctx.header("Pragma", "no-cache");
        view.render(ctx, "settings/secretvalue.jte", value);
    }

    private static String requiredName(Context ctx) {
        String name = ctx.formParam("name");
        if (name == null || name.isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'name'");
        }
        return name.strip();
    }

    /**
     * The {@code value} field as typed, not trimmed (spaces may belong to it); the line breaks that a
     * browser sends from a text area as CR LF become LF. The error never repeats the value.
     */
    private static String value(Context ctx) {
        String value = ctx.formParam("value");
        if (value == null || value.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'value'");
        }
        return value.replace("\r\n", "\n");
    }

    /**
     * What the secrets page shows: metadata only.
     *
     * @param canManage    create, new version and delete are offered (MANAGE_SECRETS)
     * @param canReadValue "Show value" is offered (READ_SECRET_VALUE)
     */
    public record SecretsView(PageFrame frame, SettingsTabs tabs, List<Secret> secrets, boolean canManage, boolean canReadValue) {
        public SecretsView {
            requireNonNull(frame, "frame is null");
            requireNonNull(tabs, "tabs is null");
            secrets = List.copyOf(secrets);
        }
    }
}
