package dev.atelier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.ErrorResponse;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.atelier.server.uploads.InsufficientStorage;
import org.slf4j.MDC;
import org.eclipse.jetty.util.thread.ThreadPool;

import dev.atelier.api.Workspace;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP server: registers every route table on Javalin (virtual threads), refuses what a web
 * page could send before any route runs ({@link BrowserGuard}, {@link SecurityHeaders}), checks the
 * CSRF token of portal changes ({@link LocalCsrfToken}), resolves the workspace of workspace-scoped
 * routes, times each route template, continues the caller's W3C trace ({@link Traceparent}), writes the access log
 * ({@link AccessLog}), and maps errors to JSON in one place. Handlers throw {@link AtelierException}; anything else becomes a 500 whose details go to
 * the log, never to the client.
 */
public final class HttpServer implements AutoCloseable {
    /**
     * Bucket bounds of every request latency histogram (HTTP routes, scoring), 1 ms to 30 s: histograms, not summaries,
     * so that quantiles aggregate across replicas (Prometheus' {@code histogram_quantile} over summed buckets).
     */
    public static final java.time.Duration[] LATENCY_BUCKETS = {java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2),
            java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(25),
            java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(250),
            java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(2500),
            java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30)};

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    public static final String WORKSPACE_PREFIX = "/w/{workspace}";
    private static final long MAX_DRAINED_BODY = 1 << 20;
    /** The answer's request id: this server's span id of the request, as the access log names it. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final Javalin app;

    public HttpServer(List<RouteTable> tables, WorkspaceGuard workspaces, MeterRegistry meters) {
        this(tables, workspaces, Authorizer.ALLOW_ALL, RequestObserver.NONE, meters);
    }

    public HttpServer(List<RouteTable> tables, WorkspaceGuard workspaces, Authorizer authorizer, RequestObserver observer,
                      MeterRegistry meters) {
        this(tables, workspaces, authorizer, observer, meters, BrowserGuard.loopbackOnly());
    }

    /** @param browsers the Host and Origin checks run before every request (docs/security.md) */
    public HttpServer(List<RouteTable> tables, WorkspaceGuard workspaces, Authorizer authorizer, RequestObserver observer,
                      MeterRegistry meters, BrowserGuard browsers) {
        requireNonNull(tables, "tables is null");
        requireNonNull(browsers, "browsers is null");
        RouteRunner runner = new RouteRunner(requireNonNull(workspaces, "workspaces is null"),
                requireNonNull(authorizer, "authorizer is null"), requireNonNull(observer, "observer is null"),
                requireNonNull(meters, "meters is null"), LocalCsrfToken.generate(), new AtomicInteger(),
                new java.util.concurrent.ConcurrentHashMap<>());
        this.app = Javalin.create(config -> configure(config, tables, runner, browsers));
    }

    private static void configure(JavalinConfig config, List<RouteTable> tables, RouteRunner runner, BrowserGuard browsers) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.http.prefer405over404 = true;
        config.router.ignoreTrailingSlashes = true;
        // On stop, stop accepting and let in-flight requests finish (up to 10 s) before closing.
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(10_000);
            server.insertHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
            server.setErrorHandler(new JsonErrorHandler());
            bindThreadMetrics(runner.meters(), server.getThreadPool());
        });
        // A page's requests first: Host allowlist, foreign origins, CORS preflight; security headers on every answer.
        ErrorPage browserPage = tables.stream().map(RouteTable::errorPage).flatMap(Optional::stream).findFirst().orElse(null);
        // One access log line per answered request (docs/operations.md, "Logs").
        config.requestLogger.http(AccessLog::write);
        config.routes.before(ctx -> {
            // W3C trace context: continue the caller's trace or start one, and answer it with the request id.
            Traceparent trace = RequestContext.traceparent(ctx);
            ctx.header(Traceparent.HEADER, trace.value());
            ctx.header(REQUEST_ID_HEADER, trace.spanId());
            SecurityHeaders.write(ctx);
            if (browserPage != null) {
                ctx.attribute(ERROR_PAGE_ATTRIBUTE, browserPage);  // a refusal below is an HTML page for a browser
            }
            if (browsers.check(ctx)) {
                ctx.attribute(Responses.WRITTEN_ATTRIBUTE, Boolean.TRUE);
                ctx.skipRemainingHandlers();
            } else {
                ctx.attribute(ERROR_PAGE_ATTRIBUTE, null);
            }
        });
        // Browser libraries of the portal (htmx, uPlot) from WebJars, and its own CSS and scripts.
        config.staticFiles.enableWebjars();
        config.staticFiles.add(files -> {
            files.hostedPath = "/static";
            files.directory = "/portal-static";
            files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
        });
        for (RouteTable table : tables) {
            ErrorPage errorPage = table.errorPage().orElse(null);
            for (Route route : table.routes()) {
                if (route.workspaceScoped()) {
                    config.routes.addHttpHandler(route.method(), route.path(), ctx -> runner.run(ctx, route, Workspace.DEFAULT, errorPage));
                    config.routes.addHttpHandler(route.method(), WORKSPACE_PREFIX + route.path(),
                            ctx -> runner.run(ctx, route, ctx.pathParam("workspace"), errorPage));
                } else {
                    config.routes.addHttpHandler(route.method(), route.path(), ctx -> runner.run(ctx, route, null, errorPage));
                }
            }
        }
        for (RouteTable table : tables) {
            for (WebSocketRoute socket : table.webSockets()) {
                Route upgrade = new Route(io.javalin.http.HandlerType.GET, socket.path(), socket.permission(), socket.workspaceScoped(),
                        ctx -> { });
                if (socket.workspaceScoped()) {
                    config.routes.wsBeforeUpgrade(socket.path(), ctx -> runner.upgrade(ctx, upgrade, Workspace.DEFAULT, browsers));
                    config.routes.ws(socket.path(), socket.handler());
                    config.routes.wsBeforeUpgrade(WORKSPACE_PREFIX + socket.path(),
                            ctx -> runner.upgrade(ctx, upgrade, ctx.pathParam("workspace"), browsers));
                    config.routes.ws(WORKSPACE_PREFIX + socket.path(), socket.handler());
                } else {
                    config.routes.wsBeforeUpgrade(socket.path(), ctx -> runner.upgrade(ctx, upgrade, null, browsers));
                    config.routes.ws(socket.path(), socket.handler());
                }
            }
        }
        config.routes.exception(AtelierException.class, (e, ctx) -> writeError(ctx, e.errorCode(), e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (InsufficientStorage.isDiskFull(e)) {
                // Whatever wrote (SQLite, a file): 507 and the operator's message, not a 500 (docs/operations.md).
                LOG.warn("disk full on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                writeError(ctx, ErrorCode.INSUFFICIENT_STORAGE, InsufficientStorage.unhandled(e).getMessage());
                return;
            }
            Optional<String> outage = BackendUnavailable.of(e);
            if (outage.isPresent()) {
                LOG.warn("{} {}: {} ({})", ctx.method(), ctx.path(), outage.get(), e.toString());
                writeError(ctx, ErrorCode.TEMPORARILY_UNAVAILABLE, outage.get());
                return;
            }
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            writeError(ctx, ErrorCode.INTERNAL_ERROR, "Internal error while handling " + ctx.method() + " " + ctx.path()
                    + "; the server log has the details");
        });
        // A path no route matches: a browser gets the portal's HTML error page, other clients the API's JSON.
        config.routes.error(404, ctx -> {
            if (ctx.attribute(Responses.WRITTEN_ATTRIBUTE) == null) {
                if (ctx.attribute(ERROR_PAGE_ATTRIBUTE) == null && browserPage != null) {
                    ctx.attribute(ERROR_PAGE_ATTRIBUTE, browserPage);
                }
                writeError(ctx, ErrorCode.ENDPOINT_NOT_FOUND, "No API endpoint at " + ctx.method() + " " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> {
            if (ctx.attribute(Responses.WRITTEN_ATTRIBUTE) == null) {
                writeError(ctx, ErrorCode.BAD_REQUEST, "Method " + ctx.method() + " is not allowed on " + ctx.path());
                ctx.status(405);
            }
        });
    }

    /**
     * {@code atelier_http_server_threads{state="busy|idle"}}: Jetty's own threads (accepting, selecting; handlers run on
     * virtual threads, counted by {@code atelier_http_requests_active}).
     */
    private static void bindThreadMetrics(MeterRegistry meters, ThreadPool pool) {
        Gauge.builder("atelier_http_server_threads", pool, p -> p.getThreads() - p.getIdleThreads())
                .tag("state", "busy").description("HTTP server threads by state").register(meters);
        Gauge.builder("atelier_http_server_threads", pool, p -> p.getIdleThreads())
                .tag("state", "idle").description("HTTP server threads by state").register(meters);
    }

    /**
     * Runs one route: authorizes the request, checks the workspace exists, runs the handler, then
     * times it per route template and tells the observer (audit) how it ended.
     */
    private record RouteRunner(WorkspaceGuard workspaces, Authorizer authorizer, RequestObserver observer, MeterRegistry meters,
                               LocalCsrfToken localCsrf, AtomicInteger active, java.util.Map<String, Timer> timers) {
        RouteRunner {
            Gauge.builder("atelier_http_requests_active", active, AtomicInteger::get)
                    .description("Requests being handled").register(meters);
        }

        void run(Context ctx, Route route, String workspaceName, ErrorPage errorPage) throws Exception {
            long start = System.nanoTime();
            java.time.Instant startedAt = java.time.Instant.now();
            ctx.attribute(RequestContext.STARTED_AT_ATTRIBUTE, startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano());
            active.incrementAndGet();
            ctx.attribute(AccessLog.ROUTE_ATTRIBUTE, workspaceName != null && ctx.path().startsWith("/w/")
                    ? WORKSPACE_PREFIX + route.path() : route.path());
            Traceparent trace = RequestContext.traceparent(ctx);
            MDC.put("request_id", trace.spanId());
            MDC.put("trace_id", trace.traceId());
            if (errorPage != null) {
                ctx.attribute(ERROR_PAGE_ATTRIBUTE, errorPage);
            }
            Optional<String> workspace = Optional.ofNullable(workspaceName);
            Principal principal = null;
            int status = 500;
            try {
                principal = authorizer.authorize(ctx, route, workspace);
                ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE, principal);
                if (principal.method() == Principal.Method.NONE) {
                    RequestContext.csrfToken(ctx, localCsrf.value());
                }
                if (errorPage != null) {
                    LocalCsrfToken.requireOnPortalChange(ctx);
                }
                if (workspaceName != null) {
                    if (principal.method() != Principal.Method.ANONYMOUS) {
                        // A caller without credentials (public and scoring routes) learns nothing of which workspaces exist.
                        workspaces.requireExists(workspaceName);
                    }
                    ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE, workspaceName);
                }
                if (route.body() == RequestBody.JSON && ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                    ApiRequest.read(ctx, route.maxBodyBytes());
                }
                route.handler().handle(ctx);
                status = ctx.statusCode();
            } catch (AtelierException e) {
                status = e.httpStatus();
                throw e;
            } catch (Exception e) {
                status = unhandledCode(e).httpStatus();
                throw e;
            } finally {
                active.decrementAndGet();
                MDC.remove("request_id");
                MDC.remove("trace_id");
                drainUnreadBody(ctx);
                RequestObserver.Outcome outcome = principal == null ? RequestObserver.Outcome.DENIED
                        : status < 400 ? RequestObserver.Outcome.ALLOWED : RequestObserver.Outcome.FAILED;
                Principal sender = principal != null ? principal : ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
                observer.requestCompleted(ctx, route, workspace, Optional.ofNullable(sender), outcome, status);
                timer(route, status).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        /** The request timer of a route and status, registered once: building and looking one up per request cost CPU. */
        private Timer timer(Route route, int status) {
            return timers.computeIfAbsent(route.method().name() + ' ' + route.path() + ' ' + status, key -> Timer.builder("atelier_http_requests")
                    .description("HTTP requests by route template")
                    .tag("method", route.method().name())
                    .tag("route", route.path())
                    .tag("status", Integer.toString(status))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(meters));
        }

        /**
         * Authorizes a WebSocket upgrade as the HTTP route {@code route}: the browser checks (a foreign origin must not
         * open a socket with the user's cookie), the credentials and permission, the workspace; the socket's handlers
         * find the principal and workspace in the request's attributes. Throws to refuse the upgrade.
         */
        void upgrade(Context ctx, Route route, String workspaceName, BrowserGuard browsers) {
            browsers.checkUpgrade(ctx);
            Optional<String> workspace = Optional.ofNullable(workspaceName);
            Principal principal = authorizer.authorize(ctx, route, workspace);
            ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE, principal);
            if (workspaceName != null) {
                workspaces.requireExists(workspaceName);
                ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE, workspaceName);
            }
        }

        /**
         * Reads what is left of a small request body the handler did not read. Jetty closes a
         * connection whose request body is unread when the response completes, and a client that
         * reuses connections (Java's HttpClient, Python's requests) then finds it closed under its
         * next request. Bodies over 1 MiB are left to that close rather than read for nothing.
         */
        private static void drainUnreadBody(Context ctx) {
            long length = ctx.req().getContentLengthLong();
            if (length <= 0 || length > MAX_DRAINED_BODY) {
                return;
            }
            try {
                ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException | IllegalStateException e) {
                // The client went away or the body was taken as a reader; Jetty decides about the connection.
            }
        }
    }

    private static final String ERROR_PAGE_ATTRIBUTE = "atelier.errorPage";

    static void writeError(Context ctx, ErrorCode code, String message) {
        if (code == ErrorCode.TEMPORARILY_UNAVAILABLE && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", Integer.toString(BackendUnavailable.RETRY_AFTER_SECONDS));
        }
        ErrorPage errorPage = ctx.attribute(ERROR_PAGE_ATTRIBUTE);
        if (errorPage != null && errorPage.write(ctx, code, message)) {
            ctx.attribute(Responses.WRITTEN_ATTRIBUTE, Boolean.TRUE);
            return;
        }
        try {
            Responses.write(ctx, code.httpStatus(), Json.mapper().writeValueAsBytes(new ErrorResponse(code.name(), message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize error", e);
        }
    }

    /** Starts listening; {@code port} 0 picks a free port. */
    public HttpServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** What an exception no handler turned into an AtelierException answers: a full disk, a backend gone, or a 500. */
    private static ErrorCode unhandledCode(Exception e) {
        if (InsufficientStorage.isDiskFull(e)) {
            return ErrorCode.INSUFFICIENT_STORAGE;
        }
        return BackendUnavailable.of(e).isPresent() ? ErrorCode.TEMPORARILY_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
    }

}
