package dev.atelier.server.notebooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/compute-instances} (workspace-scoped, docs/notebooks.md): create (the
 * {@code computeinstance} YAML as JSON), list (the caller's; all for MANAGE_COMPUTE), show, start, stop, restart,
 * delete. Every route needs WRITE or READ; who may act on whose instance the service decides (owner, or
 * MANAGE_COMPUTE to stop and delete another's).
 */
public final class InstanceRoutes implements RouteTable {
    private static final String BASE = "/api/v1/compute-instances";
    private final NotebookService notebooks;

    public InstanceRoutes(NotebookService notebooks) {
        this.notebooks = requireNonNull(notebooks, "notebooks is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, BASE, Permission.WRITE, this::create),
                Route.workspace(GET, BASE, Permission.READ, this::list),
                Route.workspace(GET, BASE + "/{name}", Permission.READ, this::get),
                Route.workspace(POST, BASE + "/{name}/start", Permission.WRITE, ctx -> Responses.json(ctx, json(notebooks.start(
                        RequestContext.workspace(ctx), ctx.pathParam("name"), RequestContext.principal(ctx))))),
                Route.workspace(POST, BASE + "/{name}/stop", Permission.WRITE, ctx -> Responses.json(ctx, json(notebooks.stop(
                        RequestContext.workspace(ctx), ctx.pathParam("name"), RequestContext.principal(ctx))))),
                Route.workspace(POST, BASE + "/{name}/restart", Permission.WRITE, ctx -> Responses.json(ctx, json(notebooks.restart(
                        RequestContext.workspace(ctx), ctx.pathParam("name"), RequestContext.principal(ctx))))),
                Route.workspace(DELETE, BASE + "/{name}", Permission.WRITE, this::delete));
    }

    private void create(Context ctx) {
        ComputeInstance created = notebooks.create(RequestContext.workspace(ctx), RequestContext.principal(ctx), ApiRequest.from(ctx));
        try {
            Responses.raw(ctx, 201, "application/json", Json.mapper().writeValueAsBytes(json(created)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    private void list(Context ctx) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("compute_instances");
        notebooks.list(RequestContext.workspace(ctx), RequestContext.principal(ctx)).forEach(instance -> list.add(json(instance)));
        Responses.json(ctx, body);
    }

    private void get(Context ctx) {
        Responses.json(ctx, json(notebooks.get(RequestContext.workspace(ctx), ctx.pathParam("name"))));
    }

    private void delete(Context ctx) {
        notebooks.delete(RequestContext.workspace(ctx), ctx.pathParam("name"), RequestContext.principal(ctx));
        Responses.json(ctx, java.util.Map.of());
    }

    /** An instance as the API shows it: the document's fields, plus name, owner, compute, state, URL path and times. */
    ObjectNode json(ComputeInstance instance) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("type", "computeinstance");
        json.put("name", instance.name());
        json.put("create_on_behalf_of", instance.owner());
        json.put("compute", instance.compute());
        json.put("state", instance.state().wireName());
        instance.stateMessage().ifPresent(message -> json.put("state_message", message));
        json.put("url", NotebookServer.basePath(instance.workspace(), instance.name()));
        json.setAll(InstanceDocuments.toJson(instance.document()));
        json.put("last_activity", instance.lastActivity());
        notebooks.idleMinutesLeft(instance).ifPresent(left -> json.put("idle_minutes_left", left));
        json.put("created_by", instance.createdBy());
        json.put("created_at", instance.createdAt());
        json.put("updated_at", instance.updatedAt());
        return json;
    }
}
