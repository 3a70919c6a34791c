package dev.atelier.server.monitoring;

import dev.atelier.server.config.Version;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * {@code /health} (MLflow's), {@code /health/live}, {@code /health/ready} and {@code /version} (public), and Prometheus
 * {@code /metrics} ({@link Permission#READ_METRICS}: open without authentication, a server admin or the metrics token
 * with it). Readiness runs every {@link Dependency} check at once, each given {@link #CHECK_TIMEOUT}.
 */
public final class OperationsRoutes implements RouteTable {
    /** Prometheus' text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private final PrometheusMeterRegistry meters;
    private final List<Dependency> dependencies;

    /** Something the server cannot serve without (the database, the artifact store): {@code probe} throws when it is unreachable. */
    public record Dependency(String name, Callable<?> probe) {
        public Dependency {
            requireNonNull(name, "name is null");
            requireNonNull(probe, "probe is null");
        }
    }

    public OperationsRoutes(PrometheusMeterRegistry meters, List<Dependency> dependencies) {
        this.meters = requireNonNull(meters, "meters is null");
        this.dependencies = List.copyOf(dependencies);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.server(GET, "/health", Permission.PUBLIC, this::health),
                Route.server(GET, "/health/live", Permission.PUBLIC, this::health),
                Route.server(GET, "/health/ready", Permission.PUBLIC, this::ready),
                Route.server(GET, "/version", Permission.PUBLIC, this::version),
                Route.server(GET, "/metrics", Permission.READ_METRICS, this::metrics));
    }

    /** MLflow's server answers {@code OK} as plain text; clients probe it that way. */
    private void health(Context ctx) {
        ctx.contentType("text/plain").result("OK");
    }

    /**
     * 200 {@code {"status": "ready", "checks": {"database": "ok", ...}}} when every dependency answered within the
     * timeout, else 503 with {@code Retry-After} and, per failed check, why (its exception's class: no detail of the
     * server's configuration reaches an anonymous caller).
     */
    private void ready(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean ready = true;
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = dependencies.stream().<Future<?>>map(dependency -> probes.submit(dependency.probe())).toList();
            long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
            for (int i = 0; i < dependencies.size(); i++) {
                String outcome;
                try {
                    running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    outcome = "ok";
                } catch (TimeoutException e) {
                    running.get(i).cancel(true);
                    outcome = "timed out after " + CHECK_TIMEOUT.toMillis() + " ms";
                } catch (ExecutionException e) {
                    outcome = "failed: " + e.getCause().getClass().getSimpleName();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcome = "interrupted";
                }
                ready &= outcome.equals("ok");
                checks.put(dependencies.get(i).name(), outcome);
            }
            probes.shutdownNow();
        }
        if (!ready) {
            ctx.status(503).header("Retry-After", "5");
        }
        Responses.json(ctx, Map.of("status", ready ? "ready" : "unavailable", "checks", checks));
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
