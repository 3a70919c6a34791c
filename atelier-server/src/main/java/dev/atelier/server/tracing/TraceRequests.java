package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads MLflow 3's trace messages (TraceInfoV3, TraceLocation) from requests, naming the field at fault. */
final class TraceRequests {
    private TraceRequests() {
    }

    /** A {@code TraceInfoV3}; its experiment comes from {@code trace_location.mlflow_experiment.experiment_id}. */
    static TraceInfo traceInfoV3(ApiRequest info) {
        String experimentId = experimentId(info.optionalObject("trace_location").orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required parameter 'trace_info.trace_location'")));
        long requestTime = info.optionalString("request_time").map(text -> parse("trace_info.request_time", text, true)).orElse(0L);
        long duration = info.optionalString("execution_duration").map(text -> parse("trace_info.execution_duration", text, false))
                .orElse(0L);
        return new TraceInfo(info.optionalString("trace_id").orElse(""), experimentId, requestTime, duration,
                TraceStatus.parse("trace_info.state", info.optionalString("state").orElse("STATE_UNSPECIFIED")),
                info.optionalString("client_request_id"), info.optionalString("request_preview"),
                info.optionalString("response_preview"), map(info, "trace_metadata"), map(info, "tags"));
    }

    /** The experiments of a list of {@code TraceLocation}s; only MLFLOW_EXPERIMENT locations are served here. */
    static List<String> experimentIds(List<ApiRequest> locations) {
        List<String> ids = new ArrayList<>();
        for (ApiRequest location : locations) {
            ids.add(experimentId(location));
        }
        return ids;
    }

    private static String experimentId(ApiRequest location) {
        String type = location.optionalString("type").orElse("MLFLOW_EXPERIMENT");
        if (!type.equals("MLFLOW_EXPERIMENT")) {
            throw AtelierException.invalidParameter("Unsupported trace location type '" + type + "': this server keeps traces in "
                    + "MLflow experiments (MLFLOW_EXPERIMENT)");
        }
        return location.optionalObject("mlflow_experiment").map(experiment -> experiment.requiredString("experiment_id"))
                .orElseThrow(() -> AtelierException.invalidParameter("Missing value for required parameter "
                        + "'trace_location.mlflow_experiment.experiment_id'"));
    }

    private static long parse(String field, String text, boolean timestamp) {
        try {
            return timestamp ? TraceJson.parseTimestamp(text) : TraceJson.parseDuration(text);
        } catch (RuntimeException e) {
            throw AtelierException.invalidParameter("Invalid value '" + text + "' for parameter '" + field + "': expected "
                    + (timestamp ? "an RFC 3339 time such as 2025-01-01T00:00:00.123Z" : "a duration in seconds such as 1.5s"));
        }
    }

    /** A protobuf {@code map<string, string>}: a JSON object of strings. */
    private static Map<String, String> map(ApiRequest request, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        Optional<ApiRequest> object = request.optionalObject(field);
        object.ifPresent(present -> present.json().properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (!value.isTextual()) {
                throw AtelierException.invalidParameter("Invalid value for parameter '" + field + "." + entry.getKey()
                        + "': expected a string");
            }
            values.put(entry.getKey(), value.textValue());
        }));
        return values;
    }
}
