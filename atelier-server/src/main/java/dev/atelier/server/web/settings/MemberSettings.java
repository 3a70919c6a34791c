package dev.atelier.server.web.settings;

import dev.atelier.server.auth.AccessService;
import dev.atelier.server.auth.Role;
import dev.atelier.server.auth.RoleAssignment;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Members and roles ({@code /settings/members}): everyone with READ sees who holds which role, as
 * {@code GET /api/v1/access} lists it; an Owner (MANAGE_ACCESS) grants a role by user name (granting
 * again changes it) and revokes one. Without authentication the page says it is off.
 */
public final class MemberSettings {
    private final PortalView view;
    private final Optional<AccessService> access;

    MemberSettings(PortalView view, Optional<AccessService> access) {
        this.view = requireNonNull(view, "view is null");
        this.access = requireNonNull(access, "access is null");
    }

    boolean enabled() {
        return access.isPresent();
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/settings/members", Permission.READ, this::list),
                Route.workspace(POST, "/settings/members", Permission.MANAGE_ACCESS, this::grant),
                Route.workspace(POST, "/settings/members/revoke", Permission.MANAGE_ACCESS, this::revoke));
    }

    private void list(Context ctx) {
        SettingsTabs tabs = SettingsPages.tabs(view, ctx, "members", "Members and roles");
        List<RoleAssignment> assignments = access.map(service -> service.assignments(RequestContext.workspace(ctx))).orElse(List.of());
        view.render(ctx, "settings/members.jte", new MembersView(tabs.frame(), tabs, access.isPresent(), assignments,
                access.isPresent() && view.permits(ctx, Permission.MANAGE_ACCESS),
                Arrays.stream(Role.values()).map(Role::displayName).toList()));
    }

    /** Grants {@code role} to {@code username}, replacing the role the user held; unknown users are 404, unknown roles 400. */
    private void grant(Context ctx) {
        AccessService service = access.orElseThrow(AuthOff::refusal);
        String username = Forms.required(ctx, "username");
        Role role = Role.fromDisplayName(Forms.required(ctx, "role"));
        service.grant(RequestContext.workspace(ctx), username, role);
        PortalView.redirect(ctx, PortalView.base(RequestContext.workspace(ctx)) + "/settings/members");
    }

    private void revoke(Context ctx) {
        AccessService service = access.orElseThrow(AuthOff::refusal);
        service.revoke(RequestContext.workspace(ctx), Forms.required(ctx, "username"));
        PortalView.redirect(ctx, PortalView.base(RequestContext.workspace(ctx)) + "/settings/members");
    }

    /**
     * What the members page shows.
     *
     * @param canManage whether the grant, change and revoke forms are offered (MANAGE_ACCESS)
     * @param roles     the roles' display names, for the role pickers
     */
    public record MembersView(PageFrame frame, SettingsTabs tabs, boolean authEnabled, List<RoleAssignment> assignments,
                              boolean canManage, List<String> roles) {
        public MembersView {
            requireNonNull(frame, "frame is null");
            requireNonNull(tabs, "tabs is null");
            assignments = List.copyOf(assignments);
            roles = List.copyOf(roles);
        }

        public String authOff() {
            return AuthOff.EXPLANATION;
        }
    }
}
