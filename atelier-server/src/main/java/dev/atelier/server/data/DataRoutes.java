package dev.atelier.server.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/data} (workspace-scoped; docs/data.md): register, list, show, archive,
 * restore, delete and download data asset versions, and the lineage routes. {@code {version}} is
 * a number or {@code latest}.
 */
public final class DataRoutes implements RouteTable {
    private static final String VERSION = "/api/v1/data/{name}/versions/{version}";

    private final DataService data;
    private final DataLineage lineage;

    public DataRoutes(DataService data, DataLineage lineage) {
        this.data = requireNonNull(data, "data is null");
        this.lineage = requireNonNull(lineage, "lineage is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/data", Permission.WRITE, this::create),
                Route.workspace(GET, "/api/v1/data", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/data/{name}/versions", Permission.READ, this::versions),
                Route.workspace(GET, VERSION, Permission.READ, this::get),
                Route.workspace(POST, VERSION + "/archive", Permission.WRITE, ctx -> archive(ctx, true)),
                Route.workspace(POST, VERSION + "/restore", Permission.WRITE, ctx -> archive(ctx, false)),
                Route.workspace(DELETE, VERSION, Permission.WRITE, this::delete),
                Route.workspace(GET, VERSION + "/files", Permission.READ, this::files),
                Route.workspace(GET, VERSION + "/files/<path>", Permission.READ, this::download),
                Route.workspace(GET, VERSION + "/lineage", Permission.READ, this::versionLineage),
                Route.workspace(POST, VERSION + "/lineage", Permission.WRITE, this::recordLineage),
                Route.workspace(GET, "/api/v1/lineage/runs/{run_id}", Permission.READ, this::runLineage),
                Route.workspace(GET, "/api/v1/lineage/models/{name}/versions/{version}", Permission.READ, this::modelLineage));
    }

    /**
     * Body: {@code name}, {@code type}, either {@code path} ({@code datastore://<datastore>/<path>})
     * or {@code upload_id}, and optionally {@code description}, {@code tags} (an object of strings)
     * and {@code version}. Answers 201 with the new version.
     */
    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        NewDataVersion.Source source;
        if (request.has("upload_id") == request.has("path")) {
            throw AtelierException.invalidParameter("Exactly one of 'path' (datastore://<datastore>/<path>) and 'upload_id' is required");
        }
        source = request.has("path") ? NewDataVersion.DatastorePath.parse(request.requiredString("path"))
                : new NewDataVersion.Upload(request.requiredString("upload_id"));
        OptionalInt version = request.optionalInt("version").map(OptionalInt::of).orElse(OptionalInt.empty());
        NewDataVersion newVersion = new NewDataVersion(request.requiredString("name"), DataType.parse(request.requiredString("type")),
                source, request.optionalString("description").orElse(""), tags(request.json().get("tags")), version);
        DataVersion created = data.create(RequestContext.workspace(ctx), newVersion, RequestContext.principal(ctx).username());
        Responses.json(ctx, DataJson.version(created, true));
        ctx.status(201);
    }

    private void list(Context ctx) {
        boolean all = ApiRequest.from(ctx).optionalBoolean("include_archived").orElse(false);
        Responses.json(ctx, Map.of("data", data.list(RequestContext.workspace(ctx), all).stream()
                .map(version -> DataJson.version(version, false)).toList()));
    }

    private void versions(Context ctx) {
        boolean all = ApiRequest.from(ctx).optionalBoolean("include_archived").orElse(false);
        Responses.json(ctx, Map.of("versions", data.versions(RequestContext.workspace(ctx), ctx.pathParam("name"), all).stream()
                .map(version -> DataJson.version(version, false)).toList()));
    }

    private void get(Context ctx) {
        Responses.json(ctx, DataJson.version(version(ctx), true));
    }

    private void archive(Context ctx, boolean archived) {
        Responses.json(ctx, DataJson.version(data.setArchived(RequestContext.workspace(ctx), ctx.pathParam("name"),
                ctx.pathParam("version"), archived), false));
    }

    /** {@code ?force=true} deletes a version that runs used; its lineage stays. */
    private void delete(Context ctx) {
        boolean force = "true".equalsIgnoreCase(ctx.queryParam("force"));
        data.delete(RequestContext.workspace(ctx), ctx.pathParam("name"), ctx.pathParam("version"), force, lineage);
        Responses.empty(ctx);
    }

    private void files(Context ctx) {
        DataVersion version = version(ctx);
        List<Map<String, Object>> files = data.files(RequestContext.workspace(ctx), version).stream().map(file -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", file.path());
            json.put("size_bytes", file.fileSize());
            return json;
        }).toList();
        Responses.json(ctx, Map.of("reference", version.reference(), "files", files));
    }

    /** Streams one file of the version, never rendered inline by a browser. */
    private void download(Context ctx) throws IOException {
        DataVersion version = version(ctx);
        try (ArtifactContent content = data.open(RequestContext.workspace(ctx), version, ctx.pathParam("path"))) {
            ctx.disableCompression();
            ctx.status(200);
            ctx.contentType("application/octet-stream");
            ctx.header("Content-Length", Long.toString(content.size()));
            ctx.header("Content-Disposition", "attachment");
            ctx.header("X-Content-Type-Options", "nosniff");
            content.stream().transferTo(ctx.outputStream());
        }
    }

    private void versionLineage(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String requested = ctx.pathParam("version");
        int number = requested.matches("[0-9]{1,9}") ? Integer.parseInt(requested) : version(ctx).version();
        Responses.json(ctx, lineage.ofVersion(workspace, ctx.pathParam("name"), number));
    }

    /** Body {@code run_id}, {@code direction} ({@code input} or {@code output}); {@code source} defaults to {@code api}. */
    private void recordLineage(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String workspace = RequestContext.workspace(ctx);
        DataVersion version = version(ctx);
        String runId = request.requiredString("run_id");
        LineageDirection direction = LineageDirection.parse(request.optionalString("direction").orElse("input"));
        lineage.requireRun(workspace, runId);
        data.recordLineage(workspace, version, runId, direction, request.optionalString("source").orElse("api"));
        Responses.json(ctx, lineage.ofVersion(workspace, version.name(), version.version()));
    }

    private void runLineage(Context ctx) {
        Responses.json(ctx, lineage.ofRun(RequestContext.workspace(ctx), ctx.pathParam("run_id")));
    }

    private void modelLineage(Context ctx) {
        Responses.json(ctx, lineage.ofModel(RequestContext.workspace(ctx), ctx.pathParam("name"), ctx.pathParam("version")));
    }

    private DataVersion version(Context ctx) {
        return data.get(RequestContext.workspace(ctx), ctx.pathParam("name"), ctx.pathParam("version"));
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'tags': expected an object of strings");
        }
        node.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw AtelierException.invalidParameter("Invalid value for tag '" + entry.getKey() + "': expected a string");
            }
            tags.put(entry.getKey(), entry.getValue().textValue());
        });
        return tags;
    }
}
