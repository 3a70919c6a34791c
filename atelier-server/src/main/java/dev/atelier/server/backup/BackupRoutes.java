package dev.atelier.server.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.List;

import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code POST /api/v1/admin/backup} (server admins): {@code {"to": "/srv/backups/2026-12-08" | "s3://bucket/prefix",
 * "include_master_key": false}} backs the running server up and answers the backup's manifest ({@link BackupManifest})
 * with {@code "to"}. The folder is on the server's host and written by the server process.
 */
public final class BackupRoutes implements RouteTable {
    private final BackupService backups;

    public BackupRoutes(BackupService backups) {
        this.backups = requireNonNull(backups, "backups is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.server(POST, "/api/v1/admin/backup", Permission.SERVER_ADMIN, this::backup));
    }

    private void backup(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String to = request.requiredString("to");
        boolean includeMasterKey = request.optionalBoolean("include_master_key").orElse(false);
        BackupManifest manifest = backups.backup(to, includeMasterKey);
        ObjectNode answer = Json.mapper().valueToTree(manifest);
        answer.put("to", to.strip());
        Responses.json(ctx, answer);
    }
}
