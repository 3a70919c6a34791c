package dev.atelier.server.tracing;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.MlflowApi;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.tracking.Page;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.http.RequestContext.workspace;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * MLflow's trace endpoints (service.proto): the 2.x ones (StartTrace, EndTrace, GetTraceInfo, SearchTraces,
 * DeleteTraces, SetTraceTag, DeleteTraceTag) under {@code /api/2.0/mlflow/traces}, and MLflow 3's (StartTraceV3,
 * GetTraceInfoV3, SearchTracesV3, and the tag and delete calls again) under {@code /api/3.0/mlflow/traces}, with MLflow
 * 3's assessments (CreateAssessment, GetAssessmentRequest, UpdateAssessment, DeleteAssessment under
 * {@code traces/{trace_id}/assessments}; a 3.x trace info lists its assessments), LinkTracesToRun, and the reads of
 * traces with their spans kept in the database (GetTrace, BatchGetTraces; {@link OtlpRoutes} takes them in). Thread-safe
 * (stateless).
 */
public final class TraceRoutes implements RouteTable {
    private final TraceService traces;
    private final AssessmentService assessments;

    public TraceRoutes(TraceService traces, AssessmentService assessments) {
        this.traces = requireNonNull(traces, "traces is null");
        this.assessments = requireNonNull(assessments, "assessments is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "traces", Permission.WRITE, this::start));
        routes.addAll(MlflowApi.routes(GET, "traces", Permission.READ, this::search));
        routes.addAll(MlflowApi.routes(POST, "traces/delete-traces", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(PATCH, "traces/{request_id}", Permission.WRITE, this::end));
        routes.addAll(MlflowApi.routes(GET, "traces/{request_id}/info", Permission.READ, this::info));
        routes.addAll(MlflowApi.routes(PATCH, "traces/{request_id}/tags", Permission.WRITE, this::setTag));
        routes.addAll(MlflowApi.routes(DELETE, "traces/{request_id}/tags", Permission.WRITE, this::deleteTag));
        routes.addAll(MlflowApi.v3Routes(POST, "traces", Permission.WRITE, this::startV3));
        routes.addAll(MlflowApi.v3Routes(POST, "traces/search", Permission.READ, this::searchV3));
        routes.addAll(MlflowApi.v3Routes(POST, "traces/delete-traces", Permission.WRITE, this::delete));
        // Before traces/{request_id}: the literal paths are matched first.
        routes.addAll(MlflowApi.v3Routes(GET, "traces/batchGet", Permission.READ, this::batchGet));
        routes.addAll(MlflowApi.v3Routes(GET, "traces/get", Permission.READ, this::getTrace));
        routes.addAll(MlflowApi.v3Routes(GET, "traces/{request_id}", Permission.READ, this::infoV3));
        routes.addAll(MlflowApi.v3Routes(PATCH, "traces/{request_id}/tags", Permission.WRITE, this::setTag));
        routes.addAll(MlflowApi.v3Routes(DELETE, "traces/{request_id}/tags", Permission.WRITE, this::deleteTag));
        routes.addAll(MlflowApi.routes(POST, "traces/link-to-run", Permission.WRITE, this::linkToRun));
        routes.addAll(MlflowApi.v3Routes(POST, "traces/link-to-run", Permission.WRITE, this::linkToRun));
        routes.addAll(MlflowApi.v3Routes(POST, "traces/{request_id}/assessments", Permission.WRITE, this::createAssessment));
        routes.addAll(MlflowApi.v3Routes(GET, "traces/{request_id}/assessments/{assessment_id}", Permission.READ, this::getAssessment));
        routes.addAll(MlflowApi.v3Routes(PATCH, "traces/{request_id}/assessments/{assessment_id}", Permission.WRITE,
                this::updateAssessment));
        routes.addAll(MlflowApi.v3Routes(DELETE, "traces/{request_id}/assessments/{assessment_id}", Permission.WRITE,
                this::deleteAssessment));
        return routes;
    }

    private void start(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        TraceInfo trace = traces.start(workspace(ctx), request.requiredString("experiment_id"), request.optionalLong("timestamp_ms"),
                keyValues(request, "request_metadata"), keyValues(request, "tags"));
        Responses.json(ctx, Map.of("trace_info", TraceJson.v2(trace)));
    }

    private void end(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        TraceInfo trace = traces.end(workspace(ctx), ctx.pathParam("request_id"), request.requiredLong("timestamp_ms"),
                TraceStatus.parse("status", request.requiredString("status")), keyValues(request, "request_metadata"),
                keyValues(request, "tags"));
        Responses.json(ctx, Map.of("trace_info", TraceJson.v2(trace)));
    }

    private void info(Context ctx) {
        Responses.json(ctx, Map.of("trace_info", TraceJson.v2(traces.get(workspace(ctx), ctx.pathParam("request_id")))));
    }

    private void search(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<TraceInfo> page = traces.search(workspace(ctx), request.stringList("experiment_ids"),
                request.optionalString("filter").orElse(""), request.stringList("order_by"),
                request.optionalInt("max_results").orElse(TraceService.DEFAULT_SEARCH_RESULTS), request.optionalString("page_token"));
        Responses.json(ctx, new Page<>(page.items().stream().map(TraceJson::v2).toList(), page.nextPageToken()).body("traces"));
    }

    private void delete(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        int deleted = traces.delete(workspace(ctx), request.requiredString("experiment_id"), request.optionalLong("max_timestamp_millis"),
                request.optionalInt("max_traces"), request.stringList("request_ids"));
        Responses.json(ctx, Map.of("traces_deleted", deleted));
    }

    private void setTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        traces.setTag(workspace(ctx), ctx.pathParam("request_id"), request.requiredString("key"), request.requiredString("value"));
        Responses.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        traces.deleteTag(workspace(ctx), ctx.pathParam("request_id"), request.requiredString("key"));
        Responses.empty(ctx);
    }

    private void startV3(Context ctx) {
        ApiRequest info = ApiRequest.from(ctx).optionalObject("trace")
                .flatMap(trace -> trace.optionalObject("trace_info"))
                .orElseThrow(() -> AtelierException.invalidParameter("Missing value for required parameter 'trace.trace_info'"));
        TraceInfo trace = traces.log(workspace(ctx), TraceRequests.traceInfoV3(info));
        Responses.json(ctx, Map.of("trace", Map.of("trace_info", v3(workspace(ctx), List.of(trace)).getFirst())));
    }

    /** GetTraceInfoV3: the trace's info, and its spans when they are kept in the database (MLflow 3's Trace message). */
    private void infoV3(Context ctx) {
        TraceInfo trace = traces.get(workspace(ctx), ctx.pathParam("request_id"));
        Responses.json(ctx, Map.of("trace", withSpans(workspace(ctx), List.of(trace), false).getFirst()));
    }

    /**
     * GetTrace ({@code trace_id}): the trace with its spans, which must be kept in the database (MLflow 3's client asks
     * only for traces tagged {@code mlflow.trace.spansLocation = TRACKING_STORE}).
     */
    private void getTrace(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        String traceId = request.requiredString("trace_id");
        TraceInfo trace = traces.get(workspace(ctx), traceId);
        Map<String, Object> found = withSpans(workspace(ctx), List.of(trace), true).stream().findFirst()
                .orElseThrow(() -> AtelierException.notFound("The spans of trace '" + traceId + "' are not stored in the tracking "
                        + "store; read traces.json from the trace's artifact location"));
        Responses.json(ctx, Map.of("trace", found));
    }

    /**
     * BatchGetTraces ({@code trace_ids}, repeated): the traces whose spans are kept in the database, in the order asked;
     * others (missing, or with their spans in traces.json) are left out, and MLflow's client reads those from their
     * artifacts.
     */
    private void batchGet(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        List<String> ids = request.stringList("trace_ids");
        if (ids.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'trace_ids'");
        }
        List<Map<String, Object>> found = withSpans(workspace(ctx), traces.getAll(workspace(ctx), ids.stream().distinct().toList()), true);
        Responses.json(ctx, found.isEmpty() ? Map.of() : Map.of("traces", found));  // an empty repeated field is left out
    }

    /**
     * MLflow 3's {@code Trace} message of each trace: {@code trace_info} and {@code spans} (OTLP spans in protobuf JSON,
     * left out when there are none); with {@code onlyWithSpans}, traces without spans in the database are left out.
     */
    private List<Map<String, Object>> withSpans(String workspace, List<TraceInfo> infos, boolean onlyWithSpans) {
        Map<String, List<OtlpSpan>> spans = traces.storedSpans(workspace, infos.stream().map(TraceInfo::requestId).toList());
        List<Map<String, Object>> infoJson = v3(workspace, infos);
        List<Map<String, Object>> found = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            List<OtlpSpan> traceSpans = spans.getOrDefault(infos.get(i).requestId(), List.of());
            if (onlyWithSpans && traceSpans.isEmpty()) {
                continue;
            }
            Map<String, Object> trace = new LinkedHashMap<>();
            trace.put("trace_info", infoJson.get(i));
            if (!traceSpans.isEmpty()) {
                trace.put("spans", traceSpans.stream().map(OtlpSpan::content).toList());
            }
            found.add(trace);
        }
        return found;
    }

    private void linkToRun(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        traces.linkToRun(workspace(ctx), request.requiredString("run_id"), request.stringList("trace_ids"));
        Responses.empty(ctx);
    }

    private void createAssessment(Context ctx) {
        Assessment assessment = assessments.create(workspace(ctx), ctx.pathParam("request_id"), assessment(ApiRequest.from(ctx)));
        Responses.json(ctx, Map.of("assessment", AssessmentJson.write(assessment)));
    }

    private void getAssessment(Context ctx) {
        Assessment assessment = assessments.get(workspace(ctx), ctx.pathParam("request_id"), ctx.pathParam("assessment_id"));
        Responses.json(ctx, Map.of("assessment", AssessmentJson.write(assessment)));
    }

    private void updateAssessment(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Assessment assessment = assessments.update(workspace(ctx), ctx.pathParam("request_id"), ctx.pathParam("assessment_id"),
                assessment(request), AssessmentJson.updateMask(request));
        Responses.json(ctx, Map.of("assessment", AssessmentJson.write(assessment)));
    }

    private void deleteAssessment(Context ctx) {
        ApiRequest.from(ctx);
        assessments.delete(workspace(ctx), ctx.pathParam("request_id"), ctx.pathParam("assessment_id"));
        Responses.empty(ctx);
    }

    private static ApiRequest assessment(ApiRequest request) {
        return request.optionalObject("assessment")
                .orElseThrow(() -> AtelierException.invalidParameter("Missing value for required parameter 'assessment'"));
    }

    /** MLflow 3's TraceInfoV3 of each trace, with its assessments. */
    private List<Map<String, Object>> v3(String workspace, List<TraceInfo> infos) {
        Map<String, List<Assessment>> byTrace = assessments.forTraces(workspace, infos.stream().map(TraceInfo::requestId).toList());
        return infos.stream().map(info -> TraceJson.v3(info, byTrace.getOrDefault(info.requestId(), List.of()).stream()
                .map(AssessmentJson::write).toList())).toList();
    }

    private void searchV3(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<TraceInfo> page = traces.search(workspace(ctx), TraceRequests.experimentIds(request.objectList("locations")),
                request.optionalString("filter").orElse(""), request.stringList("order_by"),
                request.optionalInt("max_results").orElse(TraceService.DEFAULT_SEARCH_RESULTS), request.optionalString("page_token"));
        Responses.json(ctx, new Page<>(v3(workspace(ctx), page.items()), page.nextPageToken()).body("traces"));
    }

    /** MLflow 2's repeated {@code {"key", "value"}} messages as a map; a later key replaces an earlier one. */
    private static Map<String, String> keyValues(ApiRequest request, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ApiRequest entry : request.objectList(field)) {
            values.put(entry.requiredString("key"), entry.optionalString("value").orElse(""));
        }
        return values;
    }
}
