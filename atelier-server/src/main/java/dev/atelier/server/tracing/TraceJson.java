package dev.atelier.server.tracing;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TraceInfo} in the shapes of MLflow's two trace APIs (service.proto):
 * <ul>
 *   <li>2.x {@code TraceInfo}: request_id, experiment_id, timestamp_ms, execution_time_ms, status, and
 *       request_metadata and tags as lists of {@code {"key", "value"}};</li>
 *   <li>3.x {@code TraceInfoV3}: trace_id, client_request_id, trace_location, request_preview, response_preview,
 *       request_time (a protobuf Timestamp: RFC 3339 text), execution_duration (a protobuf Duration: seconds and
 *       {@code s}), state, and trace_metadata and tags as JSON objects.</li>
 * </ul>
 * Empty lists and maps are left out, as MLflow's server leaves them out. Thread-safe (stateless).
 */
public final class TraceJson {
    private TraceJson() {
    }

    /** MLflow 2's {@code TraceInfo}. */
    public static Map<String, Object> v2(TraceInfo info) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("request_id", info.requestId());
        json.put("experiment_id", info.experimentId());
        json.put("timestamp_ms", info.timestampMs());
        json.put("execution_time_ms", info.executionTimeMs());
        json.put("status", info.status().name());
        putUnlessEmpty(json, "request_metadata", keyValues(info.requestMetadata()));
        putUnlessEmpty(json, "tags", keyValues(info.tags()));
        return json;
    }

    /** MLflow 3's {@code TraceInfoV3}, without assessments. */
    public static Map<String, Object> v3(TraceInfo info) {
        return v3(info, List.of());
    }

    /** MLflow 3's {@code TraceInfoV3} with these {@code Assessment} messages (left out when there are none). */
    public static Map<String, Object> v3(TraceInfo info, List<Map<String, Object>> assessments) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace_id", info.requestId());
        info.clientRequestId().ifPresent(id -> json.put("client_request_id", id));
        json.put("trace_location", Map.of("type", "MLFLOW_EXPERIMENT",
                "mlflow_experiment", Map.of("experiment_id", info.experimentId())));
        info.requestPreview().ifPresent(preview -> json.put("request_preview", preview));
        info.responsePreview().ifPresent(preview -> json.put("response_preview", preview));
        json.put("request_time", timestamp(info.timestampMs()));
        json.put("execution_duration", duration(info.executionTimeMs()));
        json.put("state", info.status().v3Name());
        putUnlessEmpty(json, "trace_metadata", info.requestMetadata());
        putUnlessEmpty(json, "assessments", assessments);
        putUnlessEmpty(json, "tags", info.tags());
        return json;
    }

    /** A protobuf Timestamp's JSON: UTC, with 0, 3, 6 or 9 digits of fraction (milliseconds here: 0 or 3). */
    static String timestamp(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A protobuf Duration's JSON: seconds with 0 or 3 digits of fraction and an {@code s}, such as {@code 0.463s}. */
    static String duration(long millis) {
        long seconds = millis / 1000;
        long fraction = Math.abs(millis % 1000);
        String sign = millis < 0 && seconds == 0 ? "-" : "";
        return fraction == 0 ? sign + seconds + "s" : sign + seconds + "." + String.format("%03d", fraction) + "s";
    }

    /**
     * The milliseconds of a protobuf Timestamp's JSON, or of a number of milliseconds.
     *
     * @throws java.time.format.DateTimeParseException when it is neither
     */
    static long parseTimestamp(String text) {
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
            return Long.parseLong(text);
        }
        return Instant.parse(text).toEpochMilli();
    }

    /**
     * The milliseconds of a protobuf Duration's JSON such as {@code 1.5s}; fractions below a millisecond are dropped.
     *
     * @throws NumberFormatException when it is not one
     */
    static long parseDuration(String text) {
        if (!text.endsWith("s")) {
            throw new NumberFormatException("a duration ends with 's': " + text);
        }
        return Duration.ofNanos(new java.math.BigDecimal(text.substring(0, text.length() - 1))
                .movePointRight(9)
                .setScale(0, java.math.RoundingMode.DOWN).longValueExact()).toMillis();
    }

    /** Entries of a map are written even when empty; MLflow's server leaves empty repeated and map fields out. */
    private static void putUnlessEmpty(Map<String, Object> json, String field, java.util.Collection<?> values) {
        if (!values.isEmpty()) {
            json.put(field, values);
        }
    }

    private static void putUnlessEmpty(Map<String, Object> json, String field, Map<?, ?> values) {
        if (!values.isEmpty()) {
            json.put(field, values);
        }
    }

    private static List<Map<String, String>> keyValues(Map<String, String> map) {
        List<Map<String, String>> list = new ArrayList<>(map.size());
        map.forEach((key, value) -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("key", key);
            entry.put("value", value);
            list.add(entry);
        });
        return list;
    }
}
