package dev.atelier.server.snapshots;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/snapshots} (workspace-scoped): the three-step upload (missing blobs,
 * blobs, manifest), a snapshot's file tree, one file, and the whole snapshot as a zip.
 */
public final class SnapshotRoutes implements RouteTable {
    private final SnapshotService snapshots;

    public SnapshotRoutes(SnapshotService snapshots) {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/snapshots/missing-blobs", Permission.WRITE, this::missing),
                Route.workspace(PUT, "/api/v1/snapshots/blobs/{sha256}", Permission.WRITE, this::putBlob).withBody(RequestBody.OTHER),
                Route.workspace(POST, "/api/v1/snapshots/blob-batch", Permission.WRITE, this::putBlobs).withBody(RequestBody.OTHER),
                Route.workspace(POST, "/api/v1/snapshots", Permission.WRITE, this::create),
                Route.workspace(GET, "/api/v1/snapshots/{id}", Permission.READ, this::get),
                Route.workspace(GET, "/api/v1/snapshots/{id}/zip", Permission.READ, this::zip),
                Route.workspace(GET, "/api/v1/snapshots/{id}/files/<path>", Permission.READ, this::file));
    }

    /** Body {@code {"files": [{"path", "sha256", "size"}]}}; answers {@code {"missing": [...], "max_bytes": N}}. */
    private void missing(Context ctx) {
        List<String> missing = snapshots.missingBlobs(RequestContext.workspace(ctx), files(ApiRequest.from(ctx)));
        Responses.json(ctx, Map.of("missing", missing, "max_bytes", snapshots.maxBytes()));
    }

    private void putBlob(Context ctx) {
        String sha256 = ctx.pathParam("sha256");
        long size = snapshots.putBlob(RequestContext.workspace(ctx), sha256, ctx.bodyInputStream(), ctx.req().getContentLengthLong());
        Responses.json(ctx, Map.of("sha256", sha256, "size", size));
    }

    /** Many small blobs in one body: {@code <sha256> <size>\n<bytes>} repeated; answers {@code {"stored": N}}. */
    private void putBlobs(Context ctx) {
        Responses.json(ctx, Map.of("stored", snapshots.putBlobs(RequestContext.workspace(ctx), ctx.bodyInputStream())));
    }

    private void create(Context ctx) {
        Responses.json(ctx, snapshots.create(RequestContext.workspace(ctx), files(ApiRequest.from(ctx))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, snapshots.get(RequestContext.workspace(ctx), ctx.pathParam("id")));
    }

    private void zip(Context ctx) throws IOException {
        String workspace = RequestContext.workspace(ctx);
        String id = ctx.pathParam("id");
        snapshots.get(workspace, id);
        ctx.status(200);
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=snapshot-" + id + ".zip");
        snapshots.writeZip(workspace, id, ctx.outputStream());
    }

    private void file(Context ctx) throws IOException {
        try (InputStream in = snapshots.openFile(RequestContext.workspace(ctx), ctx.pathParam("id"), ctx.pathParam("path"))) {
            ctx.status(200);
            ctx.contentType("application/octet-stream");
            ctx.header("X-Content-Type-Options", "nosniff");
            in.transferTo(ctx.outputStream());
        }
    }

    private static List<SnapshotFile> files(ApiRequest request) {
        return request.objectList("files").stream()
                .map(file -> new SnapshotFile(file.requiredString("path"), file.requiredString("sha256"), file.requiredLong("size")))
                .toList();
    }
}
