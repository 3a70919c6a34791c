package dev.atelier.server.monitoring;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * {@code GET /api/v1/endpoints/{name}/metrics?deployment=&from=&to=&bucket=} (READ, workspace-scoped;
 * docs/endpoints-monitoring.md): an endpoint's request metrics over time, {@code {"points": [...]}}.
 * {@code to} defaults to now, {@code from} to an hour before {@code to}.
 */
public final class EndpointMetricsRoutes implements RouteTable {
    private static final long DEFAULT_SPAN = Duration.ofHours(1).toMillis();

    private final EndpointMonitor monitor;
    private final EndpointLookup endpoints;
    private final Clock clock;

    public EndpointMetricsRoutes(EndpointMonitor monitor, EndpointLookup endpoints, Clock clock) {
        this.monitor = requireNonNull(monitor, "monitor is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.workspace(GET, "/api/v1/endpoints/{name}/metrics", Permission.READ, this::metrics));
    }

    private void metrics(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        long to = TimeParameters.instant("to", request.optionalString("to")).orElseGet(clock::millis);
        long from = TimeParameters.instant("from", request.optionalString("from")).orElse(to - DEFAULT_SPAN);
        if (from >= to) {
            throw TimeParameters.invalid("from", Long.toString(from), "it must be before 'to' (" + to + ")");
        }
        long bucket = TimeParameters.bucketMillis(request.optionalString("bucket"), from, to);
        Optional<String> deployment = request.optionalString("deployment").filter(value -> !value.isBlank());
        String workspace = RequestContext.workspace(ctx);
        String endpoint = ctx.pathParam("name");
        endpoints.requireExists(workspace, endpoint);
        List<Map<String, Object>> points = monitor.series(workspace, endpoint, deployment, from, to, bucket).stream()
                .map(EndpointMetricsRoutes::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", endpoint);
        deployment.ifPresent(name -> body.put("deployment", name));
        body.put("from", from);
        body.put("to", to);
        body.put("bucket_ms", bucket);
        body.put("points", points);
        Responses.json(ctx, body);
    }

    /** A point as JSON; latencies and means only where the bucket had requests. */
    static Map<String, Object> json(MetricsPoint point) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", point.time());
        json.put("requests", point.requests());
        json.put("errors", point.errors());
        json.put("client_errors", point.clientErrors());
        json.put("server_errors", point.serverErrors());
        if (point.requests() > 0) {
            json.put("latency_p50_ms", point.latencyP50Ms());
            json.put("latency_p90_ms", point.latencyP90Ms());
            json.put("latency_p99_ms", point.latencyP99Ms());
            json.put("latency_mean_ms", point.latencyMeanMs());
            json.put("request_bytes_mean", point.requestBytesMean());
            json.put("response_bytes_mean", point.responseBytesMean());
            json.put("request_bytes_max", point.requestBytesMax());
            json.put("response_bytes_max", point.responseBytesMax());
        }
        return json;
    }
}
