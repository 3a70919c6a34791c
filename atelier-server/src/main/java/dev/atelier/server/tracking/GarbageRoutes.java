package dev.atelier.server.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.uploads.SweepReport;
import dev.atelier.server.uploads.UploadSweeper;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code POST /api/v1/gc}: {@code {"older_than_ms": N, "workspace": "w"}} (workspace
 * omitted = every workspace; older_than_ms omitted = 0, everything deleted so far) answers what was
 * removed: {@code {"runs", "experiments", "metrics", "params", "tags", "artifact_bytes", "audit_events"}}, and
 * {@code "uploads": {"upload_sessions", "snapshot_blobs", "bytes"}}: the unfinished uploads that
 * expired (after {@code --upload-expiry}, whatever {@code older_than_ms} says). {@code audit_events}
 * counts the audit events older than {@code --audit-retention}, deleted by every collection whatever
 * its workspace and age arguments. {@code environment_builds} counts the builds of python environments that no
 * environment version is built from any more, removed by every collection. {@code retention} counts what every collection
 * removed past the server's retention windows ({@code endpoint_metric_rows}, {@code request_logs}, {@code job_folders};
 * docs/operations.md, "Retention"), whatever its workspace and age arguments.
 */
public final class GarbageRoutes implements RouteTable {
    private final GarbageCollector collector;
    private final UploadSweeper uploads;
    private final LongSupplier expiredAuditEvents;
    private final LongSupplier unusedEnvironmentBuilds;
    private final Supplier<Map<String, Long>> retention;

    /**
     * @param expiredAuditEvents deletes the audit events past their retention and says how many (the audit domain,
     *                           which tracking does not know)
     * @param unusedEnvironmentBuilds removes the environment builds nothing uses and says how many (the jobs domain)
     * @param retention removes what is past the retention windows and says how much of each kind
     */
    public GarbageRoutes(GarbageCollector collector, UploadSweeper uploads, LongSupplier expiredAuditEvents,
                         LongSupplier unusedEnvironmentBuilds, Supplier<Map<String, Long>> retention) {
        this.collector = requireNonNull(collector, "collector is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.expiredAuditEvents = requireNonNull(expiredAuditEvents, "expiredAuditEvents is null");
        this.unusedEnvironmentBuilds = requireNonNull(unusedEnvironmentBuilds, "unusedEnvironmentBuilds is null");
        this.retention = requireNonNull(retention, "retention is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.server(POST, "/api/v1/gc", Permission.SERVER_ADMIN, this::collect));
    }

    private void collect(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        long olderThan = request.optionalLong("older_than_ms").orElse(0L);
        SweepReport swept = uploads.sweep(request.optionalString("workspace"));
        ObjectNode answer = Json.mapper().valueToTree(collector.collect(request.optionalString("workspace"), Duration.ofMillis(olderThan)));
        answer.set("uploads", Json.mapper().valueToTree(swept));
        answer.put("audit_events", expiredAuditEvents.getAsLong());
        answer.put("environment_builds", unusedEnvironmentBuilds.getAsLong());
        answer.set("retention", Json.mapper().valueToTree(retention.get()));
        Responses.json(ctx, answer);
    }
}
