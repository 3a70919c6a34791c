package dev.atelier.server.auth;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.TrustedProxies;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The one place that authenticates and authorizes requests when authentication is on
 * (docs/security.md): it first resolves the client address ({@link TrustedProxies}); PUBLIC routes need
 * nothing; {@code /metrics} also takes the bearer metrics token; everything else needs valid credentials (401),
 * then the must-change-password gate, the CSRF check for cookie-authenticated changes, the token's
 * limits and the route's permission (403) — the stronger one of its {@link Route.Escalation} for the
 * requests that ask for more. Server admins hold every permission; workspace
 * permissions come from the user's role in the addressed workspace. Thread-safe.
 */
public final class RoleAuthorizer implements Authorizer {
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final Principal ANONYMOUS = new Principal("anonymous", false, Optional.empty(), false, Principal.Method.ANONYMOUS);
    /** Who scrapes {@code /metrics} with the {@code --metrics-token}. */
    static final Principal METRICS_SCRAPER = new Principal("metrics", false, Optional.empty(), true, Principal.Method.BEARER_TOKEN);
    /** What a user who must change the password may still call. */
    static final Set<String> PASSWORD_CHANGE_PATHS = Set.of(AuthRoutes.PASSWORD, AuthRoutes.ME, AuthRoutes.LOGOUT);

    private final CredentialAuthenticator authenticator;
    private final AccessService access;
    private final TrustedProxies proxies;
    private final Optional<byte[]> metricsToken;

    RoleAuthorizer(CredentialAuthenticator authenticator, AccessService access, TrustedProxies proxies,
                   Optional<String> metricsToken) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.access = requireNonNull(access, "access is null");
        this.proxies = requireNonNull(proxies, "proxies is null");
        this.metricsToken = metricsToken.map(token -> ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Principal authorize(Context ctx, Route route, Optional<String> workspace) {
        RequestContext.clientAddress(ctx, proxies.clientAddress(ctx));
        if (route.permission() == Permission.PUBLIC || route.permission() == Permission.SCORE) {
            return ANONYMOUS;
        }
        if (route.permission() == Permission.READ_METRICS && sendsMetricsToken(ctx)) {
            return METRICS_SCRAPER;
        }
        Authentication authentication = authenticate(ctx);
        Principal principal = authentication.principal();
        RequestContext.authenticated(ctx, principal);
        if (authentication.user().mustChangePassword() && !PASSWORD_CHANGE_PATHS.contains(route.path())) {
            throw denied("The password of '" + principal.username() + "' must be changed first: POST "
                    + AuthRoutes.PASSWORD + " with current_password and new_password");
        }
        if (authentication.sessionSecret().isPresent() && changes(ctx.method())) {
            requireCsrfToken(ctx, authentication.sessionSecret().get());
        }
        Permission permission = route.permissionFor(ctx);
        try {
            requirePermission(principal, permission, route, workspace);
        } catch (AtelierException e) {
            if (permission == route.permission()) {
                throw e;
            }
            throw denied(e.getMessage() + " (" + route.method() + " " + route.path() + " needs it when "
                    + route.escalation().orElseThrow().when() + ")");
        }
        authentication.attachTo(ctx);
        authentication.sessionSecret().ifPresent(secret -> RequestContext.csrfToken(ctx, SessionService.csrfToken(secret)));
        return principal;
    }

    @Override
    public boolean permits(Principal principal, Permission permission, Optional<String> workspace) {
        Route probe = Route.server(HandlerType.GET, "/", permission, ctx -> { });
        try {
            requirePermission(principal, permission, probe, workspace);
            return true;
        } catch (AtelierException e) {
            return false;
        }
    }

    private Authentication authenticate(Context ctx) {
        try {
            return authenticator.authenticate(ctx);
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.UNAUTHENTICATED) {
                ctx.header("WWW-Authenticate", "Basic realm=\"atelier\"");
            }
            throw e;
        }
    }

    private void requirePermission(Principal principal, Permission permission, Route route, Optional<String> workspace) {
        switch (permission) {
            case PUBLIC, SCORE, AUTHENTICATED -> {
            }
            case READ_METRICS -> {
                if (!principal.serverAdmin()) {
                    throw denied("Only a server admin or the metrics token (--metrics-token) may call " + route.method() + " "
                            + route.path());
                }
                requireUnrestrictedToken(principal, permission);
            }
            case SERVER_ADMIN -> {
                if (!principal.serverAdmin()) {
                    throw denied("Only a server admin may call " + route.method() + " " + route.path());
                }
                if (principal.readOnly()) {
                    throw denied("This API token is read-only; " + permission + " is needed");
                }
                requireUnrestrictedToken(principal, permission);
            }
            case READ, WRITE, MANAGE_COMPUTE, MANAGE_COMPUTE_CONNECTION, MANAGE_SECRETS, READ_SECRET_VALUE, MANAGE_ACCESS ->
                    requireWorkspacePermission(principal, permission, workspace);
        }
    }

    private void requireWorkspacePermission(Principal principal, Permission permission, Optional<String> workspace) {
        if (principal.readOnly() && permission != Permission.READ) {
            throw denied("This API token is read-only; " + permission + " is needed");
        }
        if (workspace.isEmpty()) {
            // A workspace permission on a route outside workspaces: only an unrestricted server admin.
            if (!principal.serverAdmin()) {
                throw denied("Permission " + permission + " is needed");
            }
            requireUnrestrictedToken(principal, permission);
            return;
        }
        String name = workspace.get();
        if (principal.tokenWorkspace().isPresent() && !principal.tokenWorkspace().get().equals(name)) {
            throw denied("This API token is restricted to workspace '" + principal.tokenWorkspace().get() + "'");
        }
        if (principal.serverAdmin()) {
            return;
        }
        Optional<Role> role = access.role(name, principal.username());
        if (role.isEmpty() || !role.get().grants(permission)) {
            throw denied("Permission " + permission + " in workspace '" + name + "' is needed; '" + principal.username()
                    + "' has " + role.map(r -> "the role " + r.displayName()).orElse("no role") + " there");
        }
    }

    private static void requireUnrestrictedToken(Principal principal, Permission permission) {
        if (principal.tokenWorkspace().isPresent()) {
            throw denied("Permission " + permission + " outside a workspace needs credentials that are not restricted "
                    + "to workspace '" + principal.tokenWorkspace().get() + "'");
        }
    }

    /** Whether the request's {@code Authorization} is the metrics token, compared in constant time. */
    private boolean sendsMetricsToken(Context ctx) {
        String header = ctx.header("Authorization");
        return metricsToken.isPresent() && header != null
                && MessageDigest.isEqual(metricsToken.get(), header.strip().getBytes(StandardCharsets.UTF_8));
    }

    private static void requireCsrfToken(Context ctx, String sessionSecret) {
        String sent = ctx.header(CSRF_HEADER);
        byte[] expected = SessionService.csrfToken(sessionSecret).getBytes(StandardCharsets.UTF_8);
        if (sent == null || !MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
            throw denied("Missing or wrong " + CSRF_HEADER + " header: requests authenticated by the session cookie "
                    + "that change something must send the csrf_token given at login");
        }
    }

    private static boolean changes(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD;
    }

    private static AtelierException denied(String message) {
        return new AtelierException(ErrorCode.PERMISSION_DENIED, message);
    }
}
