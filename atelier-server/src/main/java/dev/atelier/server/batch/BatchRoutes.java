package dev.atelier.server.batch;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.DocumentBody;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.jobs.JobService;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** The native API of batch endpoints and deployments, {@code /api/v1/batch-endpoints} (docs/batch-endpoints.md). */
public final class BatchRoutes implements RouteTable {
    private static final String BASE = "/api/v1/batch-endpoints";
    private static final String ENDPOINT = BASE + "/{name}";
    private static final String DEPLOYMENT = ENDPOINT + "/deployments/{deployment}";

    private final BatchService batch;
    private final JobService jobs;
    private final Supplier<String> serverUrl;

    BatchRoutes(BatchService batch, JobService jobs, Supplier<String> serverUrl) {
        this.batch = requireNonNull(batch, "batch is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, BASE, Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, BASE, Permission.READ, this::list),
                Route.workspace(GET, ENDPOINT, Permission.READ, this::get),
                Route.workspace(PATCH, ENDPOINT, Permission.WRITE, this::update).withBody(RequestBody.DOCUMENT),
                Route.workspace(DELETE, ENDPOINT, Permission.WRITE, this::delete),
                Route.workspace(POST, ENDPOINT + "/invoke", Permission.WRITE, this::invoke),
                Route.workspace(GET, ENDPOINT + "/jobs", Permission.READ, this::listJobs),
                Route.workspace(POST, ENDPOINT + "/deployments", Permission.WRITE, this::createDeployment).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, ENDPOINT + "/deployments", Permission.READ, this::listDeployments),
                Route.workspace(GET, DEPLOYMENT, Permission.READ, this::getDeployment),
                Route.workspace(PATCH, DEPLOYMENT, Permission.WRITE, this::updateDeployment).withBody(RequestBody.DOCUMENT),
                Route.workspace(DELETE, DEPLOYMENT, Permission.WRITE, this::deleteDeployment));
    }

    private Map<String, Object> json(String workspace, BatchEndpoint endpoint) {
        String prefix = workspace.equals("default") ? "" : "/w/" + workspace;
        return BatchJson.endpoint(endpoint, serverUrl.get() + prefix + BASE + "/" + endpoint.name() + "/invoke",
                batch.listDeployments(workspace, endpoint.name()));
    }

    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        BatchEndpoint endpoint = batch.createEndpoint(workspace, DocumentBody.read(ctx, "batch endpoint", " (name, description, auth_mode)"),
                RequestContext.principal(ctx).username());
        Responses.json(ctx, json(workspace, endpoint));
        ctx.status(201);
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Responses.json(ctx, Map.of("batch_endpoints", batch.listEndpoints(workspace).stream().map(endpoint -> json(workspace, endpoint)).toList()));
    }

    private void get(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Responses.json(ctx, json(workspace, batch.getEndpoint(workspace, ctx.pathParam("name"))));
    }

    private void update(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Responses.json(ctx, json(workspace, batch.updateEndpoint(workspace, ctx.pathParam("name"),
                DocumentBody.read(ctx, "batch endpoint update", ""))));
    }

    private void delete(Context ctx) {
        batch.deleteEndpoint(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }

    private void invoke(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = batch.invoke(workspace, ctx.pathParam("name"), ApiRequest.from(ctx).json(), RequestContext.principal(ctx).username()).name();
        Responses.json(ctx, jobs.describe(workspace, name));
        ctx.status(201);
    }

    private void listJobs(Context ctx) {
        Responses.json(ctx, Map.of("jobs", batch.jobs(RequestContext.workspace(ctx), ctx.pathParam("name"))));
    }

    private void createDeployment(Context ctx) {
        boolean setDefault = setDefault(ctx);
        BatchDeployment deployment = batch.createDeployment(RequestContext.workspace(ctx), ctx.pathParam("name"),
                DocumentBody.read(ctx, "batch deployment", " (name, model, compute, settings...)"), setDefault);
        Responses.json(ctx, BatchJson.deployment(deployment));
        ctx.status(201);
    }

    /** {@code ?set_default=true}: the deployment becomes the endpoint's default. */
    private static boolean setDefault(Context ctx) {
        String value = ctx.queryParam("set_default");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw dev.atelier.api.AtelierException.invalidParameter("Invalid value '" + value + "' for 'set_default': use true or false");
    }

    private void listDeployments(Context ctx) {
        Responses.json(ctx, Map.of("deployments", batch.listDeployments(RequestContext.workspace(ctx), ctx.pathParam("name")).stream()
                .map(BatchJson::deployment).toList()));
    }

    private void getDeployment(Context ctx) {
        Responses.json(ctx, BatchJson.deployment(batch.getDeployment(RequestContext.workspace(ctx), ctx.pathParam("name"),
                ctx.pathParam("deployment"))));
    }

    private void updateDeployment(Context ctx) {
        boolean setDefault = setDefault(ctx);
        Responses.json(ctx, BatchJson.deployment(batch.updateDeployment(RequestContext.workspace(ctx), ctx.pathParam("name"),
                ctx.pathParam("deployment"), DocumentBody.read(ctx, "batch deployment update", ""), setDefault)));
    }

    private void deleteDeployment(Context ctx) {
        batch.deleteDeployment(RequestContext.workspace(ctx), ctx.pathParam("name"), ctx.pathParam("deployment"));
        Responses.empty(ctx);
    }
}
