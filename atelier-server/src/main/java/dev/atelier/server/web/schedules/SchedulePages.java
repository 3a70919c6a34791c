package dev.atelier.server.web.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.schedules.ScheduleFire;
import dev.atelier.server.schedules.ScheduleService;
import dev.atelier.server.schedules.ScheduleView;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Schedules (docs/schedules.md): the list with each one's next fire time, last job and state; a schedule's page with its
 * next fire times and the jobs it made; enable, disable and trigger buttons (WRITE). Thread-safe.
 */
public final class SchedulePages implements PortalArea {
    private static final int FIRES_SHOWN = 50;

    private final PortalView view;
    private final ScheduleService schedules;

    public SchedulePages(PortalView view, ScheduleService schedules) {
        this.view = requireNonNull(view, "view is null");
        this.schedules = requireNonNull(schedules, "schedules is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("schedules", "Schedules", "/schedules", 75);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/schedules", Permission.READ, this::list),
                Route.workspace(GET, "/schedules/{name}", Permission.READ, this::show),
                Route.workspace(POST, "/schedules/{name}/enable", Permission.WRITE, this::enable),
                Route.workspace(POST, "/schedules/{name}/disable", Permission.WRITE, this::disable),
                Route.workspace(POST, "/schedules/{name}/trigger", Permission.WRITE, this::trigger));
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "schedules", "Schedules", Breadcrumb.here("Schedules"));
        view.render(ctx, "schedules/list.jte", new ScheduleListView(frame, schedules.list(workspace), view.permits(ctx, Permission.WRITE)));
    }

    private void show(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        ScheduleView schedule = schedules.get(workspace, ctx.pathParam("name"));
        PageFrame frame = view.frame(ctx, "schedules", schedule.name(), Breadcrumb.link("Schedules", PortalView.base(workspace)
                + "/schedules"), Breadcrumb.here(schedule.name()));
        view.render(ctx, "schedules/schedule.jte", new ScheduleDetailView(frame, schedule,
                schedules.fires(workspace, schedule.name(), FIRES_SHOWN), view.permits(ctx, Permission.WRITE)));
    }

    private void enable(Context ctx) {
        schedules.enable(RequestContext.workspace(ctx), ctx.pathParam("name"));
        back(ctx);
    }

    private void disable(Context ctx) {
        schedules.disable(RequestContext.workspace(ctx), ctx.pathParam("name"));
        back(ctx);
    }

    private void trigger(Context ctx) {
        schedules.trigger(RequestContext.workspace(ctx), ctx.pathParam("name"));
        back(ctx);
    }

    /** A trigger in a few words: {@code cron 30 2 * * *}, {@code every 2 days}. */
    public static String describe(JsonNode trigger) {
        if ("cron".equals(trigger.path("type").asText())) {
            return "cron " + trigger.path("expression").asText();
        }
        int interval = trigger.path("interval").asInt(1);
        String unit = trigger.path("frequency").asText();
        return "every " + (interval == 1 ? unit : interval + " " + unit + "s");
    }

    /** Back to the schedule's page after an action. */
    private static void back(Context ctx) {
        PortalView.redirect(ctx, PortalView.base(RequestContext.workspace(ctx)) + "/schedules/" + ctx.pathParam("name"));
    }

    /** The schedule list; {@code canWrite} shows the enable, disable and trigger buttons. */
    public record ScheduleListView(PageFrame frame, List<ScheduleView> schedules, boolean canWrite) {
        public ScheduleListView {
            schedules = List.copyOf(schedules);
        }
    }

    /** One schedule and its latest fires, newest first. */
    public record ScheduleDetailView(PageFrame frame, ScheduleView schedule, List<ScheduleFire> fires, boolean canWrite) {
        public ScheduleDetailView {
            fires = List.copyOf(fires);
        }
    }
}
