package dev.atelier.server.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/computes} (workspace-scoped). Creating a target names where it connects, so it needs
 * {@link Permission#MANAGE_COMPUTE_CONNECTION} (Owner); a PATCH needs {@link Permission#MANAGE_COMPUTE} for capacity and
 * pod defaults and is escalated to {@code MANAGE_COMPUTE_CONNECTION} when its {@code kubernetes} object names any
 * other field ({@link KubernetesFields#changesConnection}); deleting needs {@code MANAGE_COMPUTE}.
 */
public final class ComputeRoutes implements RouteTable {
    private final ComputeService computes;

    public ComputeRoutes(ComputeService computes) {
        this.computes = requireNonNull(computes, "computes is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/computes", Permission.MANAGE_COMPUTE_CONNECTION, this::create),
                Route.workspace(GET, "/api/v1/computes", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/computes/{name}", Permission.READ, this::get),
                Route.workspace(PATCH, "/api/v1/computes/{name}", Permission.MANAGE_COMPUTE, this::update)
                        .escalatedTo(Permission.MANAGE_COMPUTE_CONNECTION, "the body changes a kubernetes field other than cpu and memory",
                                ctx -> KubernetesFields.changesConnection(changedKubernetesFields(ApiRequest.from(ctx)))),
                Route.workspace(DELETE, "/api/v1/computes/{name}", Permission.MANAGE_COMPUTE, this::delete));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        ComputeKind kind = ComputeKind.parse("kind", request.requiredString("kind"));
        Optional<KubernetesSettings> kubernetes = request.has("kubernetes")
                ? Optional.of(KubernetesFields.read(kubernetesFields(request))) : Optional.empty();
        Responses.json(ctx, computes.create(RequestContext.workspace(ctx), request.requiredString("name"), kind,
                request.optionalInt("max_concurrent_jobs"), kubernetes, request.optionalString("description")));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("computes", computes.list(RequestContext.workspace(ctx))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, computes.get(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Map<String, String> kubernetes = request.has("kubernetes") ? kubernetesFields(request) : Map.of();
        Responses.json(ctx, computes.update(RequestContext.workspace(ctx), ctx.pathParam("name"),
                request.optionalInt("max_concurrent_jobs"), kubernetes, request.optionalString("description")));
    }

    private void delete(Context ctx) {
        computes.delete(RequestContext.workspace(ctx), ctx.pathParam("name"));
        Responses.empty(ctx);
    }

    /** The names in the body's {@code kubernetes} object, whatever their values (the handler checks those). */
    private static List<String> changedKubernetesFields(ApiRequest request) {
        JsonNode kubernetes = request.json().path("kubernetes");
        List<String> names = new ArrayList<>();
        kubernetes.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The {@code kubernetes} object as strings (null counts as empty); anything else is refused naming the field. */
    private static Map<String, String> kubernetesFields(ApiRequest request) {
        JsonNode kubernetes = request.json().get("kubernetes");
        if (kubernetes == null || !kubernetes.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'kubernetes': expected an object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        kubernetes.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (!value.isTextual() && !value.isNull()) {
                throw AtelierException.invalidParameter("Invalid value for parameter 'kubernetes." + entry.getKey()
                        + "': expected a string");
            }
            fields.put(entry.getKey(), value.isNull() ? "" : value.asText().strip());
        });
        return fields;
    }
}
