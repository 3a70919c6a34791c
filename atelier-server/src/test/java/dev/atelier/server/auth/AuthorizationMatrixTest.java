package dev.atelier.server.auth;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Route;
import dev.atelier.server.testing.HttpJson;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static dev.atelier.server.http.Permission.MANAGE_ACCESS;
import static dev.atelier.server.http.Permission.MANAGE_COMPUTE;
import static dev.atelier.server.http.Permission.MANAGE_COMPUTE_CONNECTION;
import static dev.atelier.server.http.Permission.MANAGE_SECRETS;
import static dev.atelier.server.http.Permission.READ;
import static dev.atelier.server.http.Permission.READ_SECRET_VALUE;
import static dev.atelier.server.http.Permission.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route the running server serves, called by every kind of caller, answers as docs/security.md
 * says. The routes come from {@code server.routes()}, so routes added later are covered without
 * touching this test; the expectation comes from each route's declared permission and the doc's
 * role table, written out again here rather than taken from the code under test.
 */
class AuthorizationMatrixTest {
    /** docs/security.md, "Roles (per workspace) and permissions". */
    private static final Map<String, Set<Permission>> ROLE_TABLE = Map.of(
            "Owner", EnumSet.of(READ, WRITE, MANAGE_COMPUTE, MANAGE_COMPUTE_CONNECTION, MANAGE_SECRETS, READ_SECRET_VALUE, MANAGE_ACCESS),
            "Contributor", EnumSet.of(READ, WRITE, MANAGE_COMPUTE, MANAGE_SECRETS, READ_SECRET_VALUE),
            "Data Scientist", EnumSet.of(READ, WRITE, READ_SECRET_VALUE),
            "Compute Operator", EnumSet.of(READ, MANAGE_COMPUTE),
            "Reader", EnumSet.of(READ));
    private static final String WORKSPACE = "matrix";

    private static SecuredServer server;
    private static final List<Caller> callers = new ArrayList<>();

    enum Expected { ALLOW, UNAUTHENTICATED, DENIED }

    /** Someone sending requests to one workspace, and what the contract lets them do. */
    record Caller(String name, String authorization, String workspace, Function<Route, Expected> expectation) {
    }

    @BeforeAll
    static void start() {
        server = SecuredServer.start();
        server.createWorkspace(WORKSPACE);
        server.createWorkspace("elsewhere");
        callers.add(new Caller("anonymous", null, WORKSPACE, route -> anonymous(route.permission())));
        callers.add(new Caller("bad token", SecuredServer.bearer("atl_not-a-token"), WORKSPACE,
                route -> anonymous(route.permission())));
        ROLE_TABLE.forEach((role, permissions) -> {
            String token = server.userWithRole(role.toLowerCase().replace(' ', '-'), WORKSPACE, role);
            callers.add(new Caller(role, SecuredServer.bearer(token), WORKSPACE, route -> member(route, permissions)));
        });
        callers.add(new Caller("Owner in another workspace", SecuredServer.bearer(server.userWithRole("owner-elsewhere",
                "elsewhere", "Owner")), WORKSPACE, route -> member(route, Set.of())));
        callers.add(new Caller("server admin", server.admin(), WORKSPACE, route -> Expected.ALLOW));
        callers.add(new Caller("server admin on default", server.admin(), "default", route -> Expected.ALLOW));
        callers.add(new Caller("admin token restricted to another workspace", SecuredServer.bearer(server.createToken(
                server.admin(), Map.of("name", "restricted", "workspace", "elsewhere"))), WORKSPACE,
                route -> member(route, Set.of())));
        callers.add(new Caller("read-only admin token", SecuredServer.bearer(server.createToken(server.admin(),
                Map.of("name", "read-only", "read_only", true))), WORKSPACE,
                route -> switch (route.permission()) {
                    case PUBLIC, SCORE, AUTHENTICATED, READ, READ_METRICS -> Expected.ALLOW;
                    default -> Expected.DENIED;
                }));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Expected anonymous(Permission permission) {
        // SCORE routes pass the filter: the endpoint's own keys or tokens are checked by the serving router.
        return permission == Permission.PUBLIC || permission == Permission.SCORE ? Expected.ALLOW : Expected.UNAUTHENTICATED;
    }

    /** A valid principal that is no server admin, holding {@code permissions} in the addressed workspace. */
    private static Expected member(Route route, Set<Permission> permissions) {
        return switch (route.permission()) {
            case PUBLIC, SCORE, AUTHENTICATED -> Expected.ALLOW;
            case SERVER_ADMIN, READ_METRICS -> Expected.DENIED;
            default -> route.workspaceScoped() && permissions.contains(route.permission()) ? Expected.ALLOW : Expected.DENIED;
        };
    }

    @Test
    void everyRouteAnswersEveryCallerAsTheContractSays() {
        List<Route> routes = server.server().server().routes();
        assertThat(routes).extracting(Route::permission).contains(Permission.PUBLIC, Permission.AUTHENTICATED,
                Permission.SERVER_ADMIN, READ, WRITE, MANAGE_ACCESS);
        assertThat(routes).as("the routes a job's pod calls with its token").extracting(Route::path)
                .contains("/api/v1/jobs/{name}/outputs", "/api/v1/jobs/{name}/inputs/{input}/zip",
                        "/api/v1/batch-jobs/{job}/staged/{folder}/zip");
        assertThat(routes).as("the experiment's Charts view and its data, READ like the runs table")
                .filteredOn(route -> route.path().startsWith("/experiments/{experimentId}/charts"))
                .extracting(Route::permission).containsExactly(READ, READ);
        assertThat(routes).as("spans kept in the database: written over OTLP as traces are, read as traces are")
                .filteredOn(route -> route.path().equals("/v1/traces") || route.path().equals("/api/3.0/mlflow/traces/batchGet")
                        || route.path().equals("/api/3.0/mlflow/traces/get"))
                .extracting(Route::permission).containsExactlyInAnyOrder(WRITE, READ, READ);
        assertThat(routes).as("MLflow 3 scorers: READ to list and get, WRITE to register and delete, as the experiment's runs")
                .filteredOn(route -> route.path().startsWith("/api/3.0/mlflow/scorers/"))
                .extracting(route -> route.method() + " " + route.path().substring("/api/3.0/mlflow/scorers/".length()) + " " + route.permission())
                .containsExactlyInAnyOrder("POST register WRITE", "GET list READ", "GET list-versions READ", "GET get READ",
                        "DELETE delete WRITE", "POST delete WRITE");
        assertThat(routes).as("server-admin operations").filteredOn(route -> route.path().equals("/api/v1/admin/backup"))
                .extracting(Route::permission).containsExactly(Permission.SERVER_ADMIN);
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Route route : routes) {
            for (Caller caller : callers) {
                String path = concretePath(route, caller.workspace());
                Object body = route.method() == HandlerType.GET || route.method() == HandlerType.HEAD ? null : Map.of();
                HttpJson.Response response = callOnce(route.method().name(), path, body, caller.authorization());
                requests++;
                Expected expected = caller.expectation().apply(route);
                // A HEAD answer has no body: its status alone says how it was refused.
                boolean head = route.method() == HandlerType.HEAD;
                boolean ok = switch (expected) {
                    // SCORE routes pass the filter; the endpoint's own auth answers, and the dummy endpoint 'x' does not
                    // exist: a caller who may not read the workspace gets the 401 of a key endpoint, never a 403.
                    case ALLOW -> route.permission() == Permission.SCORE ? response.status() != 403
                            : response.status() != 401 && response.status() != 403;
                    case UNAUTHENTICATED -> response.status() == 401 && (head || response.errorCode().equals("UNAUTHENTICATED"));
                    case DENIED -> response.status() == 403 && (head || response.errorCode().equals("PERMISSION_DENIED"));
                };
                if (!ok) {
                    failures.add(caller.name() + ": " + route.method() + " " + path + " (" + route.permission() + ") expected "
                            + expected + " but got " + response.status() + " " + abbreviate(response.text()));
                }
            }
        }
        assertThat(failures).as("out of %d requests", requests).isEmpty();
    }

    /**
     * Sends one request; when the server closed a kept-alive connection the client had just reused
     * (seen once after a refused request whose body the server did not read), sends it again on a
     * fresh connection. Any answer, refusal or not, is returned as is.
     */
    private static HttpJson.Response callOnce(String method, String path, Object body, String authorization) {
        try {
            return server.call(method, path, body, authorization);
        } catch (UncheckedIOException e) {
            return server.call(method, path, body, authorization);
        }
    }

    /** The path a caller sends: path parameters filled with dummy values, under /w/{workspace} unless default. */
    static String concretePath(Route route, String workspace) {
        String path = route.path().replaceAll("\\{[^}/]+}", "x").replaceAll("<[^>]+>", "a/b");
        return route.workspaceScoped() && !workspace.equals("default") ? "/w/" + workspace + path : path;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
