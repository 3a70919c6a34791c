package dev.atelier.server.web.jobs;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Route;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.jobs.JobType;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * Pipelines: the workspace's pipeline jobs, newest first, filtered by status. A pipeline opens on its job page, which
 * draws its steps (pipeline.js); components and schedules have areas of their own.
 */
public final class PipelinePages implements PortalArea {
    private final PortalView view;
    private final JobService jobs;

    public PipelinePages(PortalView view, JobService jobs) {
        this.view = requireNonNull(view, "view is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("pipelines", "Pipelines", "/pipelines", 70);
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.workspace(GET, "/pipelines", Permission.READ,
                ctx -> JobPages.renderList(view, jobs, ctx, "pipelines", "Pipelines", "/pipelines", Optional.of(JobType.PIPELINE), false)));
    }
}
