package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static java.util.Objects.requireNonNull;

/**
 * Resumable uploads for data assets, {@code /api/v1/data-uploads} (docs/data.md): create a session,
 * append chunks to its files at the offset the server holds ({@code PUT .../files/<path>?offset=N},
 * raw bytes), ask what it holds after a failure, then register the version with {@code upload_id}.
 * Sessions expire and count against the workspace's upload quota (docs/security.md, "Upload limits"):
 * 413 {@code QUOTA_EXCEEDED} before a byte is written, 410 {@code RESOURCE_EXPIRED} on an expired
 * session, 507 {@code INSUFFICIENT_STORAGE} when the disk is full.
 */
public final class DataUploadRoutes implements RouteTable {
    private final UploadStaging staging;

    public DataUploadRoutes(DataService data) {
        this.staging = requireNonNull(data, "data is null").staging();
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/data-uploads", Permission.WRITE, this::create),
                Route.workspace(GET, "/api/v1/data-uploads/{id}", Permission.WRITE, this::get),
                Route.workspace(PUT, "/api/v1/data-uploads/{id}/files/<path>", Permission.WRITE, this::append).withBody(RequestBody.OTHER),
                Route.workspace(DELETE, "/api/v1/data-uploads/{id}", Permission.WRITE, this::delete));
    }

    /** Body {@code {}} or {@code {"size_bytes": N}}, the total the client will send: checked against the quota first. */
    private void create(Context ctx) {
        Optional<Long> declared = ApiRequest.from(ctx).optionalLong("size_bytes");
        if (declared.isPresent() && declared.get() < 0) {
            throw AtelierException.invalidParameter("Invalid value " + declared.get() + " for parameter 'size_bytes': expected the "
                    + "number of bytes the upload will send");
        }
        Responses.json(ctx, Map.of("upload_id", staging.create(RequestContext.workspace(ctx), declared), "files", List.of()));
        ctx.status(201);
    }

    private void get(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        Responses.json(ctx, Map.of("upload_id", id, "files", staging.files(RequestContext.workspace(ctx), id).stream().map(file -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", file.path());
            json.put("size_bytes", file.fileSize());
            return json;
        }).toList()));
    }

    /** Answers {@code {"size_bytes": N}}, the file's size after the chunk; 409 with the held size at a wrong offset. */
    private void append(Context ctx) {
        String offset = ctx.queryParam("offset");
        if (offset == null || !offset.matches("[0-9]{1,18}")) {
            throw AtelierException.invalidParameter("Invalid value '" + offset + "' for parameter 'offset': expected the "
                    + "number of bytes already uploaded");
        }
        long size = staging.append(RequestContext.workspace(ctx), ctx.pathParam("id"), ArtifactPath.parse(ctx.pathParam("path")),
                Long.parseLong(offset), ctx.bodyInputStream(), ctx.req().getContentLengthLong());
        Responses.json(ctx, Map.of("size_bytes", size));
    }

    private void delete(Context ctx) throws IOException {
        staging.delete(RequestContext.workspace(ctx), ctx.pathParam("id"));
        Responses.empty(ctx);
    }
}
