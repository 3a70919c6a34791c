package dev.atelier.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * Native API {@code /api/v1/jobs} (workspace-scoped). A job is submitted as its document: JSON, or
 * YAML when the Content-Type says so ({@code application/yaml}).
 */
public final class JobRoutes implements RouteTable {
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    private static final ObjectMapper YAML = new YAMLMapper();

    private final JobService jobs;

    public JobRoutes(JobService jobs) {
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(POST, "/api/v1/jobs", Permission.WRITE, this::create),
                Route.workspace(GET, "/api/v1/jobs", Permission.READ, this::list),
                Route.workspace(GET, "/api/v1/jobs/{name}", Permission.READ, this::get),
                Route.workspace(POST, "/api/v1/jobs/{name}/cancel", Permission.WRITE, this::cancel),
                Route.workspace(GET, "/api/v1/jobs/{name}/logs", Permission.READ, this::logs));
    }

    private void create(Context ctx) {
        boolean yaml = Optional.ofNullable(ctx.contentType()).map(type -> type.contains("yaml")).orElse(false);
        Responses.json(ctx, jobs.submit(RequestContext.workspace(ctx), RequestContext.principal(ctx).username(), document(ctx, yaml)));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Responses.json(ctx, Map.of("jobs", jobs.list(RequestContext.workspace(ctx), request.optionalString("parent_job"),
                request.optionalInt("max_results").orElse(100))));
    }

    private void get(Context ctx) {
        Responses.json(ctx, jobs.get(RequestContext.workspace(ctx), ctx.pathParam("name")));
    }

    private void cancel(Context ctx) {
        Responses.json(ctx, jobs.cancel(RequestContext.workspace(ctx), ctx.pathParam("name")));
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

    private static JsonNode document(Context ctx, boolean yaml) {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Could not read the job document: " + e.getMessage());
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw AtelierException.invalidParameter("The job document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            JsonNode node = (yaml ? YAML : Json.mapper()).readTree(bytes);
            if (node == null || !node.isObject()) {
                throw AtelierException.invalidParameter("Invalid job document: expected a mapping of fields (type, command, ...)");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw AtelierException.invalidParameter("Invalid " + (yaml ? "YAML" : "JSON") + " in the job document" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Could not read the job document: " + e.getMessage());
        }
    }
}
