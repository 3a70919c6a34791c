package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Traceparent;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.DocumentBody;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/jobs} (workspace-scoped). A job is submitted as its document: JSON, or
 * YAML when the Content-Type says so ({@code application/yaml}).
 */
public final class JobRoutes implements RouteTable {

    private final JobService jobs;

    public JobRoutes(JobService jobs) {
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/jobs", Permission.WRITE, this::create).withBody(RequestBody.DOCUMENT),
                Route.workspace(GET, "/api/v1/jobs", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/jobs/{name}", Permission.READ, this::get),
                Route.workspace(POST, "/api/v1/jobs/{name}/cancel", Permission.WRITE, this::cancel),
                Route.workspace(GET, "/api/v1/jobs/{name}/logs", Permission.READ, this::logs));
    }

    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        JsonNode document = DocumentBody.read(ctx, "job", " (type, command, ...)");
        Job job = jobs.submit(workspace, RequestContext.principal(ctx).username(), withTraceparent(document,
                RequestContext.traceparent(ctx)));
        Responses.json(ctx, jobs.describe(workspace, job.name()));
    }

    /**
     * The submitted document with {@code TRACEPARENT} (this request's span) among a command job's or a sweep trial's
     * environment variables, unless the document sets it: the job's processes and pods continue the submitter's trace
     * (docs/operations.md, "Logs"). Other documents are returned as they are.
     */
    private static JsonNode withTraceparent(JsonNode document, Traceparent trace) {
        if (!(document instanceof ObjectNode job)) {
            return document;
        }
        String type = job.path("type").asText("command");
        JsonNode target = switch (type) {
            case "command" -> job;
            case "sweep" -> job.path("trial");
            default -> null;
        };
        if (target instanceof ObjectNode command && !command.path("secrets").has(Traceparent.VARIABLE)) {
            JsonNode variables = command.path("environment_variables");
            if (variables.isMissingNode() || variables.isNull()) {
                command.putObject("environment_variables").put(Traceparent.VARIABLE, trace.value());
            } else if (variables instanceof ObjectNode map && !map.has(Traceparent.VARIABLE)) {
                map.put(Traceparent.VARIABLE, trace.value());
            }
        }
        return document;
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("jobs", jobs.list(RequestContext.workspace(ctx), request.optionalString("parent_job"),
                request.optionalInt("max_results").orElse(100))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, jobs.describe(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void cancel(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Job job = jobs.cancel(workspace, ctx.pathParam("name"));
        Responses.json(ctx, jobs.describe(workspace, job.name()));
    }

    /**
     * {@code ?after=<seq>&max_lines=N}: the lines after {@code after}; {@code last_seq} is where to
     * continue, {@code ended} says the job has ended (a follower stops once it has read every line).
     */
    private void logs(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        long after = request.optionalLong("after").orElse(0L);
        boolean ended = jobs.get(workspace, name).status().isTerminal();
        List<JobLogLine> lines = jobs.logs(workspace, name, after, request.optionalInt("max_lines").orElse(1000));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lines", lines);
        body.put("last_seq", lines.isEmpty() ? after : lines.getLast().seq());
        body.put("ended", ended);
        Responses.json(ctx, body);
    }
}
