package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * What a job's pod calls with its token (workspace-scoped, docs/jobs.md): {@code POST .../outputs}
 * takes the gzip'd tar of its {@code outputs/} folder (WRITE; a browser cannot send that type without
 * asking first), as bytes or, with {@code ?encoding=base64}, base64-encoded (busybox's wget cannot post
 * a file holding NUL bytes); {@code GET .../inputs/{input}/zip} gives a download-mode data input as a zip (READ).
 */
public final class JobTransferRoutes implements RouteTable {
    static final Set<String> ARCHIVE_TYPES = Set.of("application/gzip", "application/x-gzip", "application/x-tar+gzip");

    private final JobTransfers transfers;

    public JobTransferRoutes(JobTransfers transfers) {
        this.transfers = requireNonNull(transfers, "transfers is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/jobs/{name}/outputs", Permission.WRITE, this::outputs).withBody(RequestBody.OTHER),
                Route.workspace(GET, "/api/v1/jobs/{name}/inputs/{input}/zip", Permission.READ, this::inputZip));
    }

    /** Answers {@code {"files": [...]}}, the paths stored below the run's {@code outputs/}. */
    private void outputs(Context ctx) {
        String header = ctx.header("Content-Type");
        String type = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!ARCHIVE_TYPES.contains(type)) {
            throw new AtelierException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Content-Type '" + (header == null ? "" : header)
                    + "' on POST " + ctx.path() + ": send the outputs folder as a gzip'd tar (application/gzip)");
        }
        String encoding = ctx.queryParam("encoding");
        if (encoding != null && !encoding.equals("base64")) {
            throw AtelierException.invalidParameter("Invalid value '" + encoding + "' for parameter 'encoding': expected base64, or "
                    + "no encoding for the archive's bytes");
        }
        InputStream body = encoding == null ? ctx.bodyInputStream() : Base64.getMimeDecoder().wrap(ctx.bodyInputStream());
        Responses.json(ctx, Map.of("files", transfers.receiveOutputs(RequestContext.workspace(ctx), ctx.pathParam("name"), body)));
    }

    private void inputZip(Context ctx) throws IOException {
        String input = ctx.pathParam("input");
        try (JobTransfers.Download download = transfers.downloadInput(RequestContext.workspace(ctx), ctx.pathParam("name"), input)) {
            ctx.status(200);
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=input-" + input.replaceAll("[^A-Za-z0-9_.-]", "_") + ".zip");
            download.writeZip(ctx.outputStream());
        }
    }
}
