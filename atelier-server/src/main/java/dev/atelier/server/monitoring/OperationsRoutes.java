package dev.atelier.server.monitoring;

import dev.atelier.server.config.Version;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * {@code /health} and {@code /version} (public), and Prometheus {@code /metrics} ({@link Permission#READ_METRICS}:
 * open without authentication, a server admin or the metrics token with it).
 */
public final class OperationsRoutes implements RouteTable {
    /** Prometheus' text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final PrometheusMeterRegistry meters;

    public OperationsRoutes(PrometheusMeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.server(GET, "/health", Permission.PUBLIC, this::health),
                Route.server(GET, "/version", Permission.PUBLIC, this::version),
                Route.server(GET, "/metrics", Permission.READ_METRICS, this::metrics));
    }

    /** MLflow's server answers {@code OK} as plain text; clients probe it that way. */
    private void health(Context ctx) {
        ctx.contentType("text/plain").result("OK");
    }

    private void version(Context ctx) {
        if ("application/json".equals(ctx.header("Accept"))) {
            Responses.json(ctx, Map.of("version", Version.current()));
        } else {
            ctx.contentType("text/plain").result(Version.current());
        }
    }

    private void metrics(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(meters.scrape());
    }
}
