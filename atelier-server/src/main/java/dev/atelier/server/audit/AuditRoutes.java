package dev.atelier.server.audit;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * Native API: {@code GET /api/v1/audit} (one workspace's log, MANAGE_ACCESS) and
 * {@code GET /api/v1/admin/audit} (every workspace, SERVER_ADMIN, {@code workspace=} narrows).
 * Both take {@code since}, {@code until} (epoch ms), {@code principal}, {@code max_results},
 * {@code page_token} and answer {@code {events: [...], next_page_token?}} newest first.
 */
public final class AuditRoutes implements RouteTable {
    private final AuditService audit;

    public AuditRoutes(AuditService audit) {
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/api/v1/audit", Permission.MANAGE_ACCESS, this::searchWorkspace),
                Route.server(GET, "/api/v1/admin/audit", Permission.SERVER_ADMIN, this::searchServer));
    }

    private void searchWorkspace(Context ctx) {
        Responses.json(ctx, audit.search(query(ApiRequest.from(ctx), Optional.of(RequestContext.workspace(ctx)))));
    }

    private void searchServer(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, audit.search(query(request, request.optionalString("workspace"))));
    }

    private static AuditQuery query(ApiRequest request, Optional<String> workspace) {
        int maxResults = request.optionalInt("max_results").orElse(AuditQuery.DEFAULT_MAX_RESULTS);
        if (maxResults < 1 || maxResults > AuditQuery.MAX_RESULTS) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results': "
                    + "it must be between 1 and " + AuditQuery.MAX_RESULTS);
        }
        return new AuditQuery(workspace, request.optionalString("principal"), request.optionalLong("since"),
                request.optionalLong("until"), maxResults,
                request.optionalString("page_token").filter(token -> !token.isEmpty()).map(AuditPageToken::decode));
    }
}
