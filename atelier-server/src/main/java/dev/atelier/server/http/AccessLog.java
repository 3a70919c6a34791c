package dev.atelier.server.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * One line per answered request on the logger {@value #LOGGER} (docs/operations.md, "Logs"): request id, trace id,
 * method, route template (the path for requests no route matched), workspace, user, status and duration in ms, as
 * fields of the line ({@code --log-format json}) and after its message in text. Operators turn it off with
 * {@code -Dorg.slf4j.simpleLogger.log.atelier.access=off} (or {@code JAVA_TOOL_OPTIONS}). Stateless.
 */
public final class AccessLog {
    public static final String LOGGER = "atelier.access";
    static final String ROUTE_ATTRIBUTE = "atelier.route";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private AccessLog() {
    }

    /** Javalin's request logger: called once the answer is written. */
    static void write(Context ctx, Float millis) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        String workspace = ctx.attribute(RequestContext.WORKSPACE_ATTRIBUTE);
        Principal principal = ctx.attribute(RequestContext.PRINCIPAL_ATTRIBUTE);
        Traceparent trace = RequestContext.traceparent(ctx);
        long duration = Math.round(millis == null ? 0 : millis);
        String method = ctx.method().name();
        LOG.atInfo()
                .addKeyValue("request_id", trace.spanId())
                .addKeyValue("trace_id", trace.traceId())
                .addKeyValue("method", method)
                .addKeyValue("route", route != null ? route : ctx.path())
                .addKeyValue("workspace", workspace != null ? workspace : "-")
                .addKeyValue("user", principal != null ? principal.username() : "-")
                .addKeyValue("status", ctx.statusCode())
                .addKeyValue("duration_ms", duration)
                .log("{} {} {}", method.toUpperCase(Locale.ROOT), ctx.path(), ctx.statusCode());
    }
}
