package dev.atelier.server.web.settings;

import dev.atelier.server.audit.AuditService;
import dev.atelier.server.auth.AccessService;
import dev.atelier.server.auth.TokenService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.workspace.WorkspaceService;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * The Settings area of a workspace (docs/portal.md, "Settings"): members and roles, the caller's
 * own API tokens, secrets, the audit log and the workspace's properties, one page each under
 * {@code /settings}. Every route carries the permission of the API route it stands for, so the same
 * role table decides (docs/security.md); the pages offer only what the caller's role allows. Without
 * authentication ({@code access} and {@code tokens} empty) the members and tokens pages say so.
 */
public final class SettingsPages implements PortalArea {
    static final String AREA = "settings";

    private final PortalView view;
    private final MemberSettings members;
    private final TokenSettings tokens;
    private final SecretSettings secrets;
    private final AuditSettings audit;
    private final WorkspaceSettings workspace;

    public SettingsPages(PortalView view, Optional<AccessService> access, Optional<TokenService> tokens, SecretService secrets,
                         AuditService audit, WorkspaceService workspaces) {
        this.view = requireNonNull(view, "view is null");
        this.members = new MemberSettings(view, access);
        this.tokens = new TokenSettings(view, tokens);
        this.secrets = new SecretSettings(view, secrets);
        this.audit = new AuditSettings(view, audit);
        this.workspace = new WorkspaceSettings(view, workspaces, secrets);
    }

    @Override
    public NavItem nav() {
        return new NavItem(AREA, "Settings", "/settings", 90);
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.workspace(GET, "/settings", Permission.READ, this::index));
        routes.addAll(members.routes());
        routes.addAll(tokens.routes());
        routes.addAll(secrets.routes());
        routes.addAll(audit.routes());
        routes.addAll(workspace.routes());
        return List.copyOf(routes);
    }

    private void index(Context ctx) {
        SettingsTabs tabs = tabs(view, ctx, "index", "Settings");
        view.render(ctx, "settings/index.jte", new IndexView(tabs.frame(), tabs, members.enabled(),
                view.permits(ctx, Permission.MANAGE_ACCESS), view.permits(ctx, Permission.MANAGE_SECRETS),
                view.permits(ctx, Permission.READ_SECRET_VALUE), view.permitsOnServer(ctx, Permission.SERVER_ADMIN)));
    }

    /** The frame and tab bar of a settings page; {@code active} is the tab's id, {@code title} the page's. */
    static SettingsTabs tabs(PortalView view, Context ctx, String active, String title) {
        String base = PortalView.base(RequestContext.workspace(ctx));
        Breadcrumb[] crumbs = "index".equals(active)
                ? new Breadcrumb[]{Breadcrumb.here("Settings")}
                : new Breadcrumb[]{Breadcrumb.link("Settings", base + "/settings"), Breadcrumb.here(title)};
        PageFrame frame = view.frame(ctx, AREA, title, crumbs);
        return new SettingsTabs(frame, active, view.permits(ctx, Permission.MANAGE_ACCESS));
    }

    /**
     * What the settings overview shows: one card per page, saying what the caller may do there.
     *
     * @param authEnabled whether users, roles and tokens exist (the server runs with {@code --auth})
     */
    public record IndexView(PageFrame frame, SettingsTabs tabs, boolean authEnabled, boolean canManageAccess,
                            boolean canManageSecrets, boolean canReadSecretValues, boolean serverAdmin) {
        public IndexView {
            requireNonNull(frame, "frame is null");
            requireNonNull(tabs, "tabs is null");
        }
    }
}
