package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/datastores} (workspace-scoped; docs/data.md). Registering and deleting a
 * datastore needs {@link Permission#MANAGE_SECRETS}: a datastore makes the server use secret values
 * on the caller's behalf, so it takes the right to manage secrets (Owner, Contributor).
 */
public final class DatastoreRoutes implements RouteTable {
    private final DatastoreService datastores;
    private final DataService data;

    public DatastoreRoutes(DatastoreService datastores, DataService data) {
        this.datastores = requireNonNull(datastores, "datastores is null");
        this.data = requireNonNull(data, "data is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/datastores", Permission.MANAGE_SECRETS, this::create),
                Route.workspace(GET, "/api/v1/datastores", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/datastores/{name}", Permission.READ, this::get),
                Route.workspace(DELETE, "/api/v1/datastores/{name}", Permission.MANAGE_SECRETS, this::delete));
    }

    /**
     * Body: {@code name}, {@code type} ({@code local} or {@code s3}), {@code description}; for local
     * {@code root}; for s3 {@code bucket}, {@code endpoint}, {@code region}, {@code prefix},
     * {@code path_style} (default true), {@code access_key_secret} and {@code secret_key_secret}.
     */
    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String name = request.requiredString("name");
        String type = request.requiredString("type");
        Datastore.Location location = switch (type) {
            case "local" -> new Datastore.LocalFolder(Path.of(request.requiredString("root")));
            case "s3" -> new Datastore.S3Bucket(request.optionalString("endpoint").map(DatastoreRoutes::endpoint),
                    request.optionalString("region").orElse(S3Settings.DEFAULT_REGION), request.requiredString("bucket"),
                    request.optionalString("prefix").orElse("").replaceAll("^/+|/+$", ""),
                    request.optionalBoolean("path_style").orElse(true),
                    request.optionalString("access_key_secret"), request.optionalString("secret_key_secret"));
            default -> throw AtelierException.invalidParameter("Invalid value '" + type + "' for parameter 'type': expected "
                    + "'local' or 's3'");
        };
        Datastore created = datastores.create(RequestContext.workspace(ctx), name, location,
                request.optionalString("description").orElse(""), RequestContext.principal(ctx).username());
        Responses.json(ctx, DataJson.datastore(created));
        ctx.status(201);
    }

    private void list(Context ctx) {
        Responses.json(ctx, Map.of("datastores", datastores.list(RequestContext.workspace(ctx)).stream()
                .map(DataJson::datastore).toList()));
    }

    private void get(Context ctx) {
        Responses.json(ctx, DataJson.datastore(datastores.get(RequestContext.workspace(ctx), ctx.pathParam("name"))));
    }

    /** Refused while data versions point at the datastore: they would become unreadable. */
    private void delete(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        datastores.get(workspace, name);
        data.requireDatastoreUnused(workspace, name);
        datastores.delete(workspace, name);
        Responses.empty(ctx);
    }

    private static URI endpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for parameter 'endpoint': expected an "
                    + "http:// or https:// URL");
        }
    }
}
