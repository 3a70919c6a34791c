package dev.atelier.server.auth;

import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.WorkspaceService;
import dev.atelier.server.workspace.WorkspaceVisibility;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The auth domain wired together, for the composition root: its authorizer, the route tables, and
 * who sees which workspace. Only built when authentication is on.
 */
public final class AuthModule {
    private final Authorizer authorizer;
    private final AccessService access;
    private final List<RouteTable> routes;
    private final TokenService tokens;

    private AuthModule(Authorizer authorizer, AccessService access, List<RouteTable> routes, TokenService tokens) {
        this.authorizer = authorizer;
        this.access = access;
        this.routes = List.copyOf(routes);
        this.tokens = tokens;
    }

    /**
     * Wires the domain, registers it with the workspaces (deleting a workspace removes its role
     * assignments), and creates the first admin when there is no user, printing a generated
     * password once on {@code console}.
     */
    public static AuthModule start(SecurityConfig security, Database database, WorkspaceService workspaces, Clock clock,
                                   PrintStream console) {
        requireNonNull(security, "security is null");
        AuthStore store = new JdbcAuthStore(database);
        UserService users = new UserService(store, new PasswordHasher(), clock);
        TokenService tokens = new TokenService(store, workspaces, clock);
        SessionService sessions = new SessionService(store, clock);
        AccessService access = new AccessService(store, tokens);
        workspaces.addParticipant(access);
        users.ensureFirstAdmin(security.initialAdminPassword(), console);
        RoleAuthorizer authorizer = new RoleAuthorizer(new CredentialAuthenticator(users, tokens, sessions), access,
                security.abuse().trustedProxies(), security.abuse().metricsToken());
        return new AuthModule(authorizer, access, List.of(new AuthRoutes(users, sessions, access), new UserRoutes(users),
                new TokenRoutes(tokens), new AccessRoutes(access)), tokens);
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    public WorkspaceVisibility visibility() {
        return access;
    }

    /** Role assignments, for the portal's members page. */
    public AccessService access() {
        return access;
    }

    public List<RouteTable> routes() {
        return routes;
    }

    /** API tokens, for the jobs domain's per-job tokens (MLFLOW_TRACKING_TOKEN). */
    public TokenService tokens() {
        return tokens;
    }
}
