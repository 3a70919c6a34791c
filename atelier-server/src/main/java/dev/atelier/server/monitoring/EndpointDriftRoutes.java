package dev.atelier.server.monitoring;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Drift reports of an endpoint (workspace-scoped; docs/endpoints-monitoring.md):
 * {@code POST /api/v1/endpoints/{name}/drift-reports} {@code {reference, from?, to?, deployment?}} (WRITE)
 * → 201 with the report; {@code GET .../drift-reports} → {@code {"drift_reports": [...]}} newest first
 * ({@code max_results}, default 100) and {@code GET .../drift-reports/{id}} (READ).
 */
public final class EndpointDriftRoutes implements RouteTable {
    private static final String REPORTS = "/api/v1/endpoints/{name}/drift-reports";
    private static final int DEFAULT_LISTED = 100;

    private final DriftService drift;

    public EndpointDriftRoutes(DriftService drift) {
        this.drift = requireNonNull(drift, "drift is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, REPORTS, Permission.WRITE, this::create),
                Route.workspace(GET, REPORTS, Permission.READ, this::list),
                Route.workspace(GET, REPORTS + "/{id}", Permission.READ, this::get));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        DriftRequest driftRequest = new DriftRequest(request.requiredString("reference"),
                TimeParameters.instant("from", request.optionalString("from")),
                TimeParameters.instant("to", request.optionalString("to")),
                request.optionalString("deployment").filter(name -> !name.isBlank()));
        DriftReport report = drift.create(RequestContext.workspace(ctx), ctx.pathParam("name"), driftRequest,
                RequestContext.principal(ctx).username());
        Responses.json(ctx, DriftJson.report(report));
        ctx.status(201);
    }

    private void list(Context ctx) {
        int maxResults = ApiRequest.from(ctx).optionalInt("max_results").orElse(DEFAULT_LISTED);
        List<Map<String, Object>> reports = drift.list(RequestContext.workspace(ctx), ctx.pathParam("name"), maxResults).stream()
                .map(DriftJson::report).toList();
        Responses.json(ctx, Map.of("drift_reports", reports));
    }

    private void get(Context ctx) {
        Responses.json(ctx, DriftJson.report(drift.get(RequestContext.workspace(ctx), ctx.pathParam("name"), ctx.pathParam("id"))));
    }
}
