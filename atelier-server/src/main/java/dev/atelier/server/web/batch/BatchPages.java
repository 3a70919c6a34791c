package dev.atelier.server.web.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.batch.BatchDeployment;
import dev.atelier.server.batch.BatchEndpoint;
import dev.atelier.server.batch.BatchService;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.jobs.Job;
import dev.atelier.server.serving.EndpointKeys;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.SearchHit;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Batch endpoints (docs/batch-endpoints.md): the list with each one's default deployment; an endpoint's page with its
 * deployments and the jobs it started, their progress (mini-batches done, failed, retried) and a link to the output data
 * asset version, whose page previews it. For a key-auth endpoint, a user who may write sees its keys (masked until shown,
 * with a copy button) and may regenerate either one, as on an online endpoint's page. Endpoints themselves are made with
 * the CLI. Thread-safe.
 */
public final class BatchPages implements PortalArea {
    private final PortalView view;
    private final BatchService batch;

    public BatchPages(PortalView view, BatchService batch) {
        this.view = requireNonNull(view, "view is null");
        this.batch = requireNonNull(batch, "batch is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("batch-endpoints", "Batch endpoints", "/batch-endpoints", 85);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/batch-endpoints", Permission.READ, this::list),
                Route.workspace(GET, "/batch-endpoints/{name}", Permission.READ, this::show),
                Route.workspace(POST, "/batch-endpoints/{name}/keys/regenerate", Permission.WRITE, this::regenerate));
    }

    @Override
    public List<SearchHit> search(String workspace, String text, int limit) {
        return batch.listEndpoints(workspace).stream().filter(endpoint -> SearchHit.matches(endpoint.name(), text))
                .limit(limit)
                .map(endpoint -> new SearchHit("Batch endpoint", endpoint.name(), "/batch-endpoints/" + endpoint.name(),
                        endpoint.description() == null ? "" : endpoint.description()))
                .toList();
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "batch-endpoints", "Batch endpoints", Breadcrumb.here("Batch endpoints"));
        view.render(ctx, "batch/list.jte", new BatchListView(frame, batch.listEndpoints(workspace)));
    }

    private void show(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        BatchEndpoint endpoint = batch.getEndpoint(workspace, ctx.pathParam("name"));
        PageFrame frame = view.frame(ctx, "batch-endpoints", endpoint.name(), Breadcrumb.link("Batch endpoints", PortalView.base(workspace)
                + "/batch-endpoints"), Breadcrumb.here(endpoint.name()));
        Optional<EndpointKeys> keys = frame.canWrite() && endpoint.keyAuth() ? keys(workspace, endpoint.name()) : Optional.empty();
        view.render(ctx, "batch/endpoint.jte", new BatchEndpointView(frame, endpoint, batch.listDeployments(workspace, endpoint.name()),
                batch.jobs(workspace, endpoint.name()), keys));
    }

    private void regenerate(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        batch.regenerateKey(workspace, name, Forms.required(ctx, "key_type"), RequestContext.principal(ctx).username());
        PortalView.redirect(ctx, PortalView.base(workspace) + "/batch-endpoints/" + name + "#keys");
    }

    /** The keys; empty when their secret is gone (the page then offers to regenerate them). */
    private Optional<EndpointKeys> keys(String workspace, String name) {
        try {
            return Optional.of(batch.keys(workspace, name));
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.INVALID_STATE) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** A job's progress in a few words: {@code 8/10 mini-batches done, 1 failed, 2 retried}. */
    public static String progress(Job job) {
        JsonNode batches = job.result() == null ? null : job.result().path("mini_batches");
        if (batches == null || batches.isMissingNode()) {
            return "-";
        }
        return batches.path("done").asLong() + "/" + batches.path("total").asLong() + " mini-batches done, " + batches.path("failed").asLong()
                + " failed, " + batches.path("retried").asLong() + " retried";
    }

    /** The page of a job's registered output ({@code /data/<name>/versions/<version>}), when it has one. */
    public static Optional<String> outputPath(Job job) {
        String output = job.result() == null ? "" : job.result().path("output").asText("");
        if (!output.startsWith("data:") || output.lastIndexOf(':') <= 5) {
            return Optional.empty();
        }
        String reference = output.substring("data:".length());
        int colon = reference.lastIndexOf(':');
        return Optional.of("/data/" + reference.substring(0, colon) + "/versions/" + reference.substring(colon + 1));
    }

    /** The workspace's batch endpoints. */
    public record BatchListView(PageFrame frame, List<BatchEndpoint> endpoints) {
        public BatchListView {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** One endpoint, its deployments, its jobs (newest first), and its keys when the viewer may see them. */
    public record BatchEndpointView(PageFrame frame, BatchEndpoint endpoint, List<BatchDeployment> deployments, List<Job> jobs,
                                    Optional<EndpointKeys> keys) {
        public BatchEndpointView {
            deployments = List.copyOf(deployments);
            jobs = List.copyOf(jobs);
            requireNonNull(keys, "keys is null");
        }

        /** The endpoint page's path, below which its forms post. */
        public String path() {
            return frame.url("/batch-endpoints/" + endpoint.name());
        }
    }
}
