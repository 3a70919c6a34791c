package dev.atelier.server.batch;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.Principal;
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
import java.util.Optional;
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

    /** What an Atelier session or token must be allowed to invoke an endpoint (not its key). */
    private static final Route INVOKE_WITH_TOKEN = Route.workspace(POST, ENDPOINT + "/invoke", Permission.WRITE, ctx -> { });
    private static final Route READ_PROBE = Route.workspace(GET, ENDPOINT, Permission.READ, ctx -> { });

    private final BatchService batch;
    private final JobService jobs;
    private final Authorizer authorizer;
    private final Supplier<String> serverUrl;
    private final StagedFolders staged;

    BatchRoutes(BatchService batch, JobService jobs, Authorizer authorizer, Supplier<String> serverUrl, StagedFolders staged) {
        this.batch = requireNonNull(batch, "batch is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
        this.staged = requireNonNull(staged, "staged is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, BASE, Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, BASE, Permission.READ, this::list),
                Route.workspace(GET, ENDPOINT, Permission.READ, this::get),
                Route.workspace(PATCH, ENDPOINT, Permission.WRITE, this::update).withBody(RequestBody.DOCUMENT),
                Route.workspace(DELETE, ENDPOINT, Permission.WRITE, this::delete),
                // SCORE: the handler checks the endpoint's key, or WRITE for a session or token (docs/batch-endpoints.md, "Auth").
                Route.workspace(POST, ENDPOINT + "/invoke", Permission.SCORE, this::invoke),
                Route.workspace(GET, ENDPOINT + "/keys", Permission.WRITE, this::keys),
                Route.workspace(POST, ENDPOINT + "/keys/regenerate", Permission.WRITE, this::regenerateKey),
                Route.workspace(GET, ENDPOINT + "/jobs", Permission.READ, this::listJobs),
                Route.workspace(POST, ENDPOINT + "/deployments", Permission.WRITE, this::createDeployment).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, ENDPOINT + "/deployments", Permission.READ, this::listDeployments),
                Route.workspace(GET, DEPLOYMENT, Permission.READ, this::getDeployment),
                Route.workspace(PATCH, DEPLOYMENT, Permission.WRITE, this::updateDeployment).withBody(RequestBody.DOCUMENT),
                Route.workspace(DELETE, DEPLOYMENT, Permission.WRITE, this::deleteDeployment),
                // What a scoring script's workloads away from the server's host fetch (StagedFolders), with the job's token.
                Route.workspace(GET, "/api/v1/batch-jobs/{job}/staged/{folder}/zip", Permission.READ, this::stagedZip));
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
                DocumentBody.read(ctx, "batch endpoint update", ""), RequestContext.principal(ctx).username())));
    }

    private void delete(Context ctx) {
        batch.deleteEndpoint(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }

    private void stagedZip(Context ctx) throws java.io.IOException {
        String workspace = RequestContext.workspace(ctx);
        String job = jobs.get(workspace, ctx.pathParam("job")).name();
        java.nio.file.Path folder = staged.folder(workspace, job, ctx.pathParam("folder"));
        ctx.status(200);
        ctx.contentType("application/zip");
        StagedFolders.writeZip(folder, ctx.outputStream());
    }

    private void invoke(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String user = invoker(ctx, workspace, ctx.pathParam("name"));
        String name = batch.invoke(workspace, ctx.pathParam("name"), ApiRequest.from(ctx).json(), user).name();
        Responses.json(ctx, jobs.describe(workspace, name));
        ctx.status(201);
    }

    /**
     * Who a job started by this request runs as: the endpoint's creator for a caller with one of its keys (auth_mode key);
     * otherwise the caller, whose session or token must allow WRITE (401 or 403 from the authorizer). As for online
     * endpoints, an endpoint that does not exist answers 401 to a caller who may not read the workspace (so a caller
     * without credentials cannot tell which exist), 404 to one who may. A bearer that is not a key of a key-auth endpoint
     * is refused (401) also with authentication off.
     */
    private String invoker(Context ctx, String workspace, String endpoint) {
        String header = ctx.header("Authorization");
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (key != null) {
            Optional<BatchEndpoint> accepting = batch.acceptingKey(workspace, endpoint, key);
            if (accepting.isPresent()) {
                return accepting.get().createdBy();
            }
        }
        Optional<BatchEndpoint> found = batch.findEndpoint(workspace, endpoint);
        if (found.isEmpty() && !mayRead(ctx, workspace)) {
            throw keyRefused(ctx, endpoint, key);
        }
        boolean keyAuth = batch.getEndpoint(workspace, endpoint).keyAuth();
        Principal principal = authorizer.authorize(ctx, INVOKE_WITH_TOKEN, Optional.of(workspace));
        if (principal.method() == Principal.Method.NONE && key != null && keyAuth) {
            throw keyRefused(ctx, endpoint, key);
        }
        return principal.username();
    }

    private boolean mayRead(Context ctx, String workspace) {
        try {
            authorizer.authorize(ctx, READ_PROBE, Optional.of(workspace));
            return true;
        } catch (AtelierException e) {
            return false;
        }
    }

    private static AtelierException keyRefused(Context ctx, String endpoint, String key) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"" + endpoint + "\"");
        return new AtelierException(ErrorCode.UNAUTHENTICATED, key == null ? "Batch endpoint '" + endpoint + "' needs a key "
                + "('Authorization: Bearer <key>') or an Atelier token" : "The key sent is not a key of batch endpoint '" + endpoint + "'");
    }

    private void keys(Context ctx) {
        Responses.json(ctx, batch.keys(RequestContext.workspace(ctx), ctx.pathParam("name")).toJson());
    }

    private void regenerateKey(Context ctx) {
        String keyType = ApiRequest.from(ctx).requiredString("key_type");
        Responses.json(ctx, batch.regenerateKey(RequestContext.workspace(ctx), ctx.pathParam("name"), keyType,
                RequestContext.principal(ctx).username()).toJson());
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
