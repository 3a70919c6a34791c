package dev.atelier.server.tracking;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.List;

import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code POST /api/v1/gc}: {@code {"older_than_ms": N, "workspace": "w"}} (workspace
 * omitted = every workspace; older_than_ms omitted = 0, everything deleted so far) answers what was
 * removed: {@code {"runs", "experiments", "metrics", "params", "tags", "artifact_bytes"}}.
 */
public final class GarbageRoutes implements RouteTable {
    private final GarbageCollector collector;

    public GarbageRoutes(GarbageCollector collector) {
        this.collector = requireNonNull(collector, "collector is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.server(POST, "/api/v1/gc", Permission.SERVER_ADMIN, this::collect));
    }

    private void collect(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        long olderThan = request.optionalLong("older_than_ms").orElse(0L);
        Responses.json(ctx, collector.collect(request.optionalString("workspace"), Duration.ofMillis(olderThan)));
    }
}
