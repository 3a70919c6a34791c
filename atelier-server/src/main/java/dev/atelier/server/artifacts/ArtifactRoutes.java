package dev.atelier.server.artifacts;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static java.util.Objects.requireNonNull;

/**
 * MLflow's artifact proxy ({@code mlflow server --serve-artifacts}), per workspace, under both
 * {@code /api/2.0} and {@code /ajax-api/2.0} as MLflow serves every endpoint. Spec:
 * mlflow/protos/mlflow_artifacts.proto and the {@code _download_artifact}, {@code _upload_artifact},
 * {@code _list_artifacts_mlflow_artifacts}, {@code _delete_artifact_mlflow_artifacts} and multipart
 * handlers of mlflow/server/handlers.py. Bodies of uploads and downloads stream through; nothing
 * holds a whole file in memory.
 */
public final class ArtifactRoutes implements RouteTable {
    private static final List<String> API_PREFIXES = List.of("/api/2.0", "/ajax-api/2.0");
    /** Javalin's {@code <path>} matches the rest of the URL, slashes included. */
    private static final String PATH = "/<path>";

    private final ArtifactService artifacts;

    public ArtifactRoutes(ArtifactService artifacts) {
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String prefix : API_PREFIXES) {
            String artifactsPath = prefix + "/mlflow-artifacts/artifacts";
            String multipartPath = prefix + "/mlflow-artifacts/mpu";
            routes.add(route(GET, artifactsPath, Permission.READ, this::list));
            routes.add(route(GET, artifactsPath + PATH, Permission.READ, this::download));
            routes.add(route(PUT, artifactsPath + PATH, Permission.WRITE, this::upload).withBody(RequestBody.OTHER));
            routes.add(route(DELETE, artifactsPath + PATH, Permission.WRITE, this::delete));
            routes.add(route(POST, multipartPath + "/create" + PATH, Permission.WRITE, this::createMultipartUpload));
            routes.add(route(POST, multipartPath + "/complete" + PATH, Permission.WRITE, this::completeMultipartUpload));
            routes.add(route(POST, multipartPath + "/abort" + PATH, Permission.WRITE, this::abortMultipartUpload));
        }
        return List.copyOf(routes);
    }

    private static Route route(HandlerType method, String path, Permission permission, Handler handler) {
        return Route.workspace(method, path, permission, handler);
    }

    /**
     * Streams the file's bytes. As MLflow: the type guessed from the name, sent as an attachment
     * with {@code nosniff} so a browser never renders an artifact on our origin, and chunked without
     * a Content-Length (the headers are flushed before the first byte).
     */
    private void download(Context ctx) throws IOException {
        String path = ctx.pathParam("path");
        try (ArtifactContent content = artifacts.open(RequestContext.workspace(ctx), path)) {
            String name = ArtifactPath.parse(path).name();
            ctx.disableCompression();
            ctx.status(200);
            ctx.contentType(ArtifactMediaTypes.guess(name));
            ctx.header("Content-Disposition", contentDisposition(name));
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.res().flushBuffer();
            StreamCopy.copy(content.stream(), ctx.outputStream());
        }
    }

    /** The raw request body is the file, whatever its Content-Type and framing (0-byte files come chunked). */
    private void upload(Context ctx) {
        artifacts.write(RequestContext.workspace(ctx), ctx.pathParam("path"), ctx.bodyInputStream());
        Responses.empty(ctx);
    }

    /** {@code ?path=} names the folder (absent: the root); a file or a missing folder lists as {@code {}}. */
    private void list(Context ctx) {
        List<FileInfo> files = artifacts.list(RequestContext.workspace(ctx), ctx.queryParam("path"));
        Responses.json(ctx, new Listing(files));
    }

    private void delete(Context ctx) {
        artifacts.delete(RequestContext.workspace(ctx), ctx.pathParam("path"));
        Responses.empty(ctx);
    }

    /** Body {@code {"path": <client's local file>, "num_parts": N}}; see {@link ArtifactService#createMultipartUpload}. */
    private void createMultipartUpload(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String localFile = request.requiredString("path");
        long numParts = request.optionalLong("num_parts").orElse(1L);
        Responses.json(ctx, artifacts.createMultipartUpload(RequestContext.workspace(ctx), ctx.pathParam("path"),
                localFile, numParts));
    }

    /** Body {@code {"path", "upload_id", "parts": [{"part_number", "etag", "url"}]}}. */
    private void completeMultipartUpload(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String localFile = request.requiredString("path");
        String uploadId = request.optionalString("upload_id").orElse("");
        if (!request.has("parts")) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'parts'");
        }
        List<MultipartArtifactRepository.Part> parts = request.objectList("parts").stream()
                .map(part -> new MultipartArtifactRepository.Part(part.optionalLong("part_number").orElse(0L),
                        part.requiredString("etag"), part.optionalString("url").orElse(null)))
                .toList();
        artifacts.completeMultipartUpload(RequestContext.workspace(ctx), ctx.pathParam("path"), localFile, uploadId, parts);
        Responses.empty(ctx);
    }

    /** Body {@code {"path", "upload_id"}}. */
    private void abortMultipartUpload(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String localFile = request.requiredString("path");
        String uploadId = request.optionalString("upload_id").orElse("");
        artifacts.abortMultipartUpload(RequestContext.workspace(ctx), ctx.pathParam("path"), localFile, uploadId);
        Responses.empty(ctx);
    }

    /** {@code ListArtifacts.Response}; an empty list is left out, so an empty listing is {@code {}}. */
    private record Listing(@JsonProperty("files") List<FileInfo> files) {
        private Listing {
            files = List.copyOf(files);
        }
    }

    /** MLflow's {@code attachment; filename=<name>}; names beyond printable ASCII use RFC 6266's {@code filename*}. */
    static String contentDisposition(String name) {
        boolean plain = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != ';' && c != '\\');
        if (plain) {
            return "attachment; filename=" + name;
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return "attachment; filename*=UTF-8''" + encoded;
    }
}
