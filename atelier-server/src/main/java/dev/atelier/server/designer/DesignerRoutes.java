package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/designer} (workspace-scoped, docs/designer.md): drafts (list, create, read a version, save a
 * new version, delete), a draft's pipeline as YAML, and a dry-run validation of a draft with the jobs API's checks.
 */
public final class DesignerRoutes implements RouteTable {
    private final DesignerService designer;

    public DesignerRoutes(DesignerService designer) {
        this.designer = requireNonNull(designer, "designer is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/api/v1/designer/drafts", Permission.READ, this::list),
                Route.workspace(POST, "/api/v1/designer/drafts", Permission.WRITE, this::create),
                Route.workspace(GET, "/api/v1/designer/drafts/{id}", Permission.READ, this::get),
                Route.workspace(PUT, "/api/v1/designer/drafts/{id}", Permission.WRITE, this::save),
                Route.workspace(DELETE, "/api/v1/designer/drafts/{id}", Permission.WRITE, this::delete),
                Route.workspace(GET, "/api/v1/designer/drafts/{id}/pipeline", Permission.READ, this::pipeline),
                Route.workspace(POST, "/api/v1/designer/validate", Permission.READ, this::validate));
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("drafts", designer.list(RequestContext.workspace(ctx))));
    }

    /**
     * {@code {"name", "document"}}, {@code {"name", "pipeline_yaml"}} (an imported pipeline file), {@code {"from_job"}} (an
     * existing pipeline job), or {@code {"name"}} alone (an empty pipeline).
     */
    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String user = RequestContext.principal(ctx).username();
        ApiRequest request = ApiRequest.from(ctx);
        Optional<String> job = request.optionalString("from_job");
        if (job.isPresent()) {
            Responses.json(ctx, designer.createFromJob(workspace, user, job.get()));
            return;
        }
        Optional<String> yaml = request.optionalString("pipeline_yaml");
        ObjectNode document = yaml.isPresent() ? DraftDocument.of(DraftDocument.parseYaml(yaml.get(), "pipeline_yaml"))
                : request.has("document") ? object(request.json().get("document")) : DraftDocument.empty();
        Responses.json(ctx, designer.create(workspace, user, request.requiredString("name"), document));
    }

    private void get(Context ctx) {
        Responses.json(ctx, designer.get(RequestContext.workspace(ctx), ctx.pathParam("id"), version(ctx)));
    }

    /** {@code {"base_version", "document", "name"?}}: 409 when base_version is not the newest version. */
    private void save(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        long base = request.requiredLong("base_version");
        Responses.json(ctx, designer.save(RequestContext.workspace(ctx), RequestContext.principal(ctx).username(), ctx.pathParam("id"),
                Math.toIntExact(base), request.optionalString("name"), object(request.json().get("document"))));
    }

    private void delete(Context ctx) {
        designer.delete(RequestContext.workspace(ctx), RequestContext.principal(ctx).username(), ctx.pathParam("id"));
        Responses.empty(ctx);
    }

    /** The draft's pipeline job document as YAML ({@code ?version=}), as {@code atelier job create -f} takes it. */
    private void pipeline(Context ctx) {
        Draft draft = designer.get(RequestContext.workspace(ctx), ctx.pathParam("id"), version(ctx));
        Responses.raw(ctx, 200, "application/yaml; charset=utf-8",
                DraftDocument.yaml(DraftDocument.pipeline(draft.document())).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"document"}}: {@code {"valid": true}}, or the jobs API's 400/404 naming the field ({@code jobs.<step>.inputs.x}). */
    private void validate(Context ctx) {
        designer.validate(RequestContext.workspace(ctx), RequestContext.principal(ctx).username(),
                object(ApiRequest.from(ctx).json().get("document")));
        Responses.json(ctx, Map.of("valid", true));
    }

    private static Optional<Integer> version(Context ctx) {
        return ApiRequest.from(ctx).optionalInt("version");
    }

    private static ObjectNode object(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw AtelierException.invalidParameter("Missing or invalid 'document': expected {\"pipeline\": {...}, \"layout\": {...}}");
        }
        return object;
    }
}
