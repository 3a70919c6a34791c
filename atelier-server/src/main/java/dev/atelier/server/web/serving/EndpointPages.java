package dev.atelier.server.web.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Json;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.serving.AuthMode;
import dev.atelier.server.serving.Deployment;
import dev.atelier.server.serving.Endpoint;
import dev.atelier.server.serving.EndpointKeys;
import dev.atelier.server.serving.wiring.ServingModule;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.SearchHit;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The Endpoints area (docs/portal.md): the endpoints list and an endpoint's page (URLs, keys for
 * users with WRITE, the traffic split editor, deployments with their state and last log lines, and
 * the empty sections the browser fills in: live charts, the test form, drift reports). Everything is read
 * through the serving module's service, scoped by the workspace of the URL; changes need WRITE.
 *
 * <p>The detail page is {@code GET /endpoints/{name}}; the scoring routes hang off the same base
 * ({@code POST .../score}, {@code GET .../v2/...}) and never use the paths below.
 */
public final class EndpointPages implements PortalArea {
    static final int LOG_LINES = 40;

    private final PortalView view;
    private final ServingModule serving;

    public EndpointPages(PortalView view, ServingModule serving) {
        this.view = requireNonNull(view, "view is null");
        this.serving = requireNonNull(serving, "serving is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("endpoints", "Endpoints", "/endpoints", 80);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/endpoints", Permission.READ, this::list),
                Route.workspace(GET, "/endpoints/{name}", Permission.READ, this::show),
                Route.workspace(POST, "/endpoints/{name}/traffic", Permission.WRITE, this::traffic),
                Route.workspace(POST, "/endpoints/{name}/keys/regenerate", Permission.WRITE, this::regenerate));
    }

    @Override
    public List<SearchHit> search(String workspace, String text, int limit) {
        return serving.endpoints().listEndpoints(workspace).stream().filter(endpoint -> SearchHit.matches(endpoint.name(), text))
                .limit(limit)
                .map(endpoint -> new SearchHit("Online endpoint", endpoint.name(), "/endpoints/" + endpoint.name(),
                        endpoint.description() == null ? "" : endpoint.description()))
                .toList();
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "endpoints", "Endpoints", Breadcrumb.here("Endpoints"));
        List<EndpointViews.EndpointRow> rows = serving.endpoints().listEndpoints(workspace).stream()
                .map(endpoint -> EndpointViews.EndpointRow.of(frame, endpoint, serving.endpoints().listDeployments(workspace, endpoint.name()),
                        serving.baseUri(workspace, endpoint.name())))
                .toList();
        view.render(ctx, "serving/list.jte", new EndpointViews.EndpointListView(frame, rows));
    }

    private void show(Context ctx) {
        render(ctx, 200, ctx.pathParam("name"), Optional.empty());
    }

    /**
     * Saves the traffic split and mirror traffic posted as {@code traffic.<deployment>} and
     * {@code mirror.<deployment>} percentages (blank counts as 0). The service checks the rules; a
     * value it refuses is shown in the editor, with what was typed, instead of an error page.
     */
    private void traffic(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        List<Deployment> deployments = serving.endpoints().listDeployments(workspace, name);
        Map<String, String> typed = new LinkedHashMap<>();
        ctx.formParamMap().forEach((field, values) -> typed.put(field, values.isEmpty() ? "" : values.getFirst().strip()));
        try {
            ObjectNode patch = Json.mapper().createObjectNode();
            ObjectNode traffic = patch.putObject("traffic");
            ObjectNode mirror = patch.putObject("mirror_traffic");
            for (Deployment deployment : deployments) {
                int live = percent(typed, "traffic." + deployment.name());
                int mirrored = percent(typed, "mirror." + deployment.name());
                if (live > 0) {
                    traffic.put(deployment.name(), live);
                }
                if (mirrored > 0) {
                    mirror.put(deployment.name(), mirrored);
                }
            }
            serving.endpoints().updateEndpoint(workspace, name, patch);
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.INVALID_PARAMETER_VALUE) {
                throw e;
            }
            render(ctx, 400, name, Optional.of(new EndpointViews.TrafficError(e.getMessage(), typed)));
            return;
        }
        PortalView.redirect(ctx, PortalView.base(workspace) + EndpointViews.endpointPath(name) + "#traffic");
    }

    private void regenerate(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        serving.endpoints().regenerateKey(workspace, name, Forms.required(ctx, "key_type"), RequestContext.principal(ctx).username());
        PortalView.redirect(ctx, PortalView.base(workspace) + EndpointViews.endpointPath(name) + "#keys");
    }

    /** The endpoint's page; htmx requests (the traffic editor) get only the editor. */
    private void render(Context ctx, int status, String name, Optional<EndpointViews.TrafficError> trafficError) {
        String workspace = RequestContext.workspace(ctx);
        Endpoint endpoint = serving.endpoints().getEndpoint(workspace, name);
        List<Deployment> deployments = serving.endpoints().listDeployments(workspace, name);
        PageFrame frame = view.frame(ctx, "endpoints", endpoint.name(),
                Breadcrumb.link("Endpoints", PortalView.base(workspace) + "/endpoints"), Breadcrumb.here(endpoint.name()));
        Optional<EndpointKeys> keys = frame.canWrite() && endpoint.authMode() == AuthMode.KEY ? keys(workspace, name) : Optional.empty();
        List<EndpointViews.DeploymentRow> rows = deployments.stream().map(deployment -> EndpointViews.DeploymentRow.of(frame, deployment,
                serving.host().logs(workspace, name, deployment.name(), LOG_LINES))).toList();
        EndpointViews.EndpointView page = new EndpointViews.EndpointView(frame, endpoint, serving.baseUri(workspace, name),
                EndpointViews.effectiveTraffic(endpoint, deployments), rows, keys, trafficError);
        boolean fragment = ctx.header("HX-Request") != null && trafficError.isPresent();
        view.render(ctx, status, fragment ? "serving/traffic.jte" : "serving/endpoint.jte", page);
    }

    /** The keys; empty when their secret is gone (the page then offers to regenerate them). */
    private Optional<EndpointKeys> keys(String workspace, String name) {
        try {
            return Optional.of(serving.endpoints().keys(workspace, name));
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.INVALID_STATE) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static int percent(Map<String, String> typed, String field) {
        String value = typed.getOrDefault(field, "");
        if (value.isEmpty()) {
            return 0;
        }
        try {
            int percent = Integer.parseInt(value);
            if (percent < 0 || percent > 100) {
                throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': a percentage from 0 to 100");
            }
            return percent;
        } catch (NumberFormatException e) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected a whole number");
        }
    }
}
