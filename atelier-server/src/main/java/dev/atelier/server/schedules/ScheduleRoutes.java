package dev.atelier.server.schedules;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.DocumentBody;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/schedules} (workspace-scoped, docs/schedules.md). A schedule is created from its document:
 * JSON, or YAML when the Content-Type says so. {@code GET .../{name}/jobs} lists the fires of a schedule, newest first,
 * each with the job it made or the error that kept it from making one.
 */
public final class ScheduleRoutes implements RouteTable {
    private final ScheduleService schedules;

    public ScheduleRoutes(ScheduleService schedules) {
        this.schedules = requireNonNull(schedules, "schedules is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/schedules", Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, "/api/v1/schedules", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/schedules/{name}", Permission.READ, this::get),
                Route.workspace(POST, "/api/v1/schedules/{name}/enable", Permission.WRITE, this::enable),
                Route.workspace(POST, "/api/v1/schedules/{name}/disable", Permission.WRITE, this::disable),
                Route.workspace(POST, "/api/v1/schedules/{name}/trigger", Permission.WRITE, this::trigger),
                Route.workspace(GET, "/api/v1/schedules/{name}/jobs", Permission.READ, this::jobs),
                Route.workspace(DELETE, "/api/v1/schedules/{name}", Permission.WRITE, this::delete));
    }

    private void create(Context ctx) {
        Responses.json(ctx, schedules.create(RequestContext.workspace(ctx), RequestContext.principal(ctx).username(),
                DocumentBody.read(ctx, "schedule", " (name, trigger, create_job)")));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("schedules", schedules.list(RequestContext.workspace(ctx))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, schedules.get(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void enable(Context ctx) {
        Responses.json(ctx, schedules.enable(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void disable(Context ctx) {
        Responses.json(ctx, schedules.disable(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void trigger(Context ctx) {
        Responses.json(ctx, schedules.trigger(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void jobs(Context ctx) {
        Responses.json(ctx, Map.of("jobs", schedules.fires(RequestContext.workspace(ctx), ctx.pathParam("name"),
                ApiRequest.from(ctx).optionalInt("max_results").orElse(100))));
    }

    private void delete(Context ctx) {
        schedules.delete(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }
}
