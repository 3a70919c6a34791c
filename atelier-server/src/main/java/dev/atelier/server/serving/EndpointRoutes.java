package dev.atelier.server.serving;

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
import java.util.function.Supplier;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** The native API of online endpoints and deployments, {@code /api/v1/endpoints} (docs/endpoints.md). */
public final class EndpointRoutes implements RouteTable {
    private static final String ENDPOINT = "/api/v1/endpoints/{name}";
    private static final String DEPLOYMENT = ENDPOINT + "/deployments/{deployment}";

    private final EndpointService endpoints;
    private final DeploymentHost host;
    private final Supplier<String> serverUrl;

    public EndpointRoutes(EndpointService endpoints, DeploymentHost host, Supplier<String> serverUrl) {
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.host = requireNonNull(host, "host is null");
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/endpoints", Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, "/api/v1/endpoints", Permission.READ, this::list),
                Route.workspace(GET, ENDPOINT, Permission.READ, this::get),
                Route.workspace(PATCH, ENDPOINT, Permission.WRITE, this::update).withBody(RequestBody.DOCUMENT),
                Route.workspace(DELETE, ENDPOINT, Permission.WRITE, this::delete),
                Route.workspace(GET, ENDPOINT + "/keys", Permission.WRITE, this::keys),
                Route.workspace(POST, ENDPOINT + "/keys/regenerate", Permission.WRITE, this::regenerate),
                Route.workspace(POST, ENDPOINT + "/deployments", Permission.WRITE, this::createDeployment).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, ENDPOINT + "/deployments", Permission.READ, this::listDeployments),
                Route.workspace(GET, DEPLOYMENT, Permission.READ, this::getDeployment),
                Route.workspace(PATCH, DEPLOYMENT, Permission.WRITE, this::updateDeployment).withBody(RequestBody.DOCUMENT),
                Route.workspace(DELETE, DEPLOYMENT, Permission.WRITE, this::deleteDeployment),
                Route.workspace(GET, DEPLOYMENT + "/logs", Permission.READ, this::logs));
    }

    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Endpoint endpoint = endpoints.createEndpoint(workspace, DocumentBody.read(ctx, "endpoint", ""),
                RequestContext.principal(ctx).username());
        Responses.json(ctx, EndpointJson.endpoint(serverUrl.get(), workspace, endpoint, List.of()));
        ctx.status(201);
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Responses.json(ctx, Map.of("endpoints", endpoints.listEndpoints(workspace).stream()
                .map(endpoint -> EndpointJson.endpoint(serverUrl.get(), workspace, endpoint,
                        endpoints.listDeployments(workspace, endpoint.name())))
                .toList()));
    }

    private void get(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        Responses.json(ctx, EndpointJson.endpoint(serverUrl.get(), workspace, endpoints.getEndpoint(workspace, name),
                endpoints.listDeployments(workspace, name)));
    }

    private void update(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        Endpoint endpoint = endpoints.updateEndpoint(workspace, name, DocumentBody.read(ctx, "endpoint update", ""));
        Responses.json(ctx, EndpointJson.endpoint(serverUrl.get(), workspace, endpoint, endpoints.listDeployments(workspace, name)));
    }

    private void delete(Context ctx) {
        endpoints.deleteEndpoint(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }

    private void keys(Context ctx) {
        Responses.json(ctx, endpoints.keys(RequestContext.workspace(ctx), ctx.pathParam("name")).toJson());
    }

    private void regenerate(Context ctx) {
        String keyType = ApiRequest.from(ctx).requiredString("key_type");
        Responses.json(ctx, endpoints.regenerateKey(RequestContext.workspace(ctx), ctx.pathParam("name"), keyType,
                RequestContext.principal(ctx).username()).toJson());
    }

    private void createDeployment(Context ctx) {
        String name = ctx.pathParam("name");
        Deployment deployment = endpoints.createDeployment(RequestContext.workspace(ctx), name, DocumentBody.read(ctx, "deployment", ""));
        Responses.json(ctx, EndpointJson.deployment(name, deployment));
        ctx.status(201);
    }

    private void listDeployments(Context ctx) {
        String name = ctx.pathParam("name");
        Responses.json(ctx, Map.of("deployments", endpoints.listDeployments(RequestContext.workspace(ctx), name).stream()
                .map(deployment -> EndpointJson.deployment(name, deployment)).toList()));
    }

    private void getDeployment(Context ctx) {
        String name = ctx.pathParam("name");
        Responses.json(ctx, EndpointJson.deployment(name, endpoints.getDeployment(RequestContext.workspace(ctx), name,
                ctx.pathParam("deployment"))));
    }

    private void updateDeployment(Context ctx) {
        String name = ctx.pathParam("name");
        Deployment deployment = endpoints.updateDeployment(RequestContext.workspace(ctx), name, ctx.pathParam("deployment"),
                DocumentBody.read(ctx, "deployment update", ""));
        Responses.json(ctx, EndpointJson.deployment(name, deployment));
    }

    private void deleteDeployment(Context ctx) {
        endpoints.deleteDeployment(RequestContext.workspace(ctx), ctx.pathParam("name"), ctx.pathParam("deployment"));
        Responses.empty(ctx);
    }

    private void logs(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        String deployment = ctx.pathParam("deployment");
        endpoints.getDeployment(workspace, name, deployment);
        int tail = ApiRequest.from(ctx).optionalInt("tail").orElse(200);
        if (tail < 1 || tail > 10_000) {
            throw dev.atelier.api.AtelierException.invalidParameter("Invalid value " + tail + " for 'tail': use 1 to 10000");
        }
        Responses.json(ctx, Map.of("lines", host.logs(workspace, name, deployment, tail)));
    }
}
