package dev.atelier.server.web.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.KubernetesSettings;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentBuilds;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Compute targets (list, detail; create with MANAGE_COMPUTE_CONNECTION, update capacity and delete with MANAGE_COMPUTE) and environments
 * (list, each one's versions), under the Compute entry of the navigation.
 */
public final class ComputePages implements PortalArea {
    private final PortalView view;
    private final ComputeService computes;
    private final EnvironmentService environments;

    public ComputePages(PortalView view, ComputeService computes, EnvironmentService environments) {
        this.view = requireNonNull(view, "view is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.environments = requireNonNull(environments, "environments is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("compute", "Compute", "/compute", 50);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/compute", Permission.READ, this::list),
                Route.workspace(POST, "/compute", Permission.MANAGE_COMPUTE_CONNECTION, this::create),
                Route.workspace(GET, "/compute/{name}", Permission.READ, this::show),
                Route.workspace(POST, "/compute/{name}/update", Permission.MANAGE_COMPUTE, this::update),
                Route.workspace(POST, "/compute/{name}/delete", Permission.MANAGE_COMPUTE, this::delete),
                Route.workspace(GET, "/environments", Permission.READ, this::environments),
                Route.workspace(GET, "/environments/{name}", Permission.READ, this::environment));
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "compute", "Compute", Breadcrumb.here("Compute"));
        view.render(ctx, "jobs/computes.jte", new ComputeListView(frame, computes.list(workspace),
                view.permits(ctx, Permission.MANAGE_COMPUTE_CONNECTION)));
    }

    private void show(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        ComputeTarget target = computes.get(workspace, ctx.pathParam("name"));
        PageFrame frame = view.frame(ctx, "compute", target.name(), Breadcrumb.link("Compute", PortalView.base(workspace) + "/compute"),
                Breadcrumb.here(target.name()));
        view.render(ctx, "jobs/compute.jte", new ComputeView(frame, target,
                view.permits(ctx, Permission.MANAGE_COMPUTE) && !target.builtIn()));
    }

    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        KubernetesSettings settings = new KubernetesSettings(Forms.required(ctx, "namespace"), field(ctx, "kubeconfig"),
                field(ctx, "kubeconfig_secret"), 0, field(ctx, "context"), field(ctx, "cpu"), field(ctx, "memory"),
                field(ctx, "service_account"), "");
        ComputeTarget target = computes.create(workspace, Forms.required(ctx, "name"), ComputeKind.KUBERNETES, maxJobs(ctx),
                Optional.of(settings), Optional.of(field(ctx, "description")));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/compute/" + target.name());
    }

    private void update(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        ComputeTarget target = computes.update(workspace, ctx.pathParam("name"), maxJobs(ctx), java.util.Map.of(),
                Optional.ofNullable(ctx.formParam("description")));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/compute/" + target.name());
    }

    private void delete(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        computes.delete(workspace, ctx.pathParam("name"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/compute");
    }

    private void environments(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "compute", "Environments", Breadcrumb.link("Compute", PortalView.base(workspace) + "/compute"),
                Breadcrumb.here("Environments"));
        view.render(ctx, "jobs/environments.jte", new EnvironmentListView(frame, environments.list(workspace)));
    }

    private void environment(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        List<Environment> versions = environments.versions(workspace, name);
        Optional<Integer> version = Optional.ofNullable(ctx.queryParam("version")).filter(v -> !v.isBlank()).map(ComputePages::number);
        Environment chosen = environments.get(workspace, name, version);
        PageFrame frame = view.frame(ctx, "compute", name, Breadcrumb.link("Environments", PortalView.base(workspace) + "/environments"),
                Breadcrumb.here(name));
        view.render(ctx, "jobs/environment.jte", new EnvironmentView(frame, chosen, versions,
                environments.build(workspace, chosen.name(), chosen.version())));
    }

    private static Optional<Integer> maxJobs(Context ctx) {
        return Optional.ofNullable(ctx.formParam("max_concurrent_jobs")).filter(v -> !v.isBlank()).map(ComputePages::number);
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).map(String::strip).orElse("");
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "': expected a whole number");
        }
    }

    /** The compute list; {@code canManage} (MANAGE_COMPUTE_CONNECTION) shows the create form. */
    public record ComputeListView(PageFrame frame, List<ComputeTarget> targets, boolean canManage) {
        public ComputeListView {
            targets = List.copyOf(targets);
        }
    }

    /** One target; {@code canManage} shows update and delete (never for the built-in {@code local}). */
    public record ComputeView(PageFrame frame, ComputeTarget target, boolean canManage) {
    }

    /** The latest version of each environment. */
    public record EnvironmentListView(PageFrame frame, List<Environment> environments) {
        public EnvironmentListView {
            environments = List.copyOf(environments);
        }
    }

    /** One version of an environment, the list of all its versions, and its build (state and log) where it is built. */
    public record EnvironmentView(PageFrame frame, Environment environment, List<Environment> versions, EnvironmentBuilds.Build build) {
        public EnvironmentView {
            versions = List.copyOf(versions);
        }
    }
}
