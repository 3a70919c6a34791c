package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a trace's {@code traces.json}, {@code {"spans": [...]}}, in the two span schemas MLflow's clients write:
 * <ul>
 *   <li>MLflow 2 (trace schema 2): {@code context.span_id}, {@code parent_id}, {@code start_time}/{@code end_time} in
 *       nanoseconds, {@code status_code}, {@code status_message}, {@code events[].timestamp};</li>
 *   <li>MLflow 3 (OpenTelemetry's names): {@code span_id}, {@code parent_span_id}, {@code start_time_unix_nano},
 *       {@code end_time_unix_nano}, {@code status.code} ({@code STATUS_CODE_OK}), {@code events[].time_unix_nano}.</li>
 * </ul>
 * Attribute values that are not text are kept as their JSON. Thread-safe (stateless).
 */
public final class TraceSpans {
    private static final String INPUTS = "mlflow.spanInputs";
    private static final String OUTPUTS = "mlflow.spanOutputs";
    private static final String TYPE = "mlflow.spanType";

    private TraceSpans() {
    }

    /**
     * The spans of a traces.json, in file order.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when it is not JSON with a {@code spans} array
     */
    public static List<Span> read(InputStream json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw AtelierException.invalidParameter("The trace's traces.json is not JSON: " + e.getMessage());
        }
        JsonNode spans = root == null ? null : root.get("spans");
        if (spans == null || !spans.isArray()) {
            throw AtelierException.invalidParameter("The trace's traces.json has no 'spans' array");
        }
        List<Span> read = new ArrayList<>();
        for (JsonNode span : spans) {
            read.add(span(span));
        }
        return read;
    }

    private static Span span(JsonNode span) {
        Map<String, String> attributes = texts(span.path("attributes"));
        Optional<String> inputs = Optional.ofNullable(attributes.remove(INPUTS));
        Optional<String> outputs = Optional.ofNullable(attributes.remove(OUTPUTS));
        String type = unquote(Optional.ofNullable(attributes.remove(TYPE)).orElse("UNKNOWN"));
        boolean v3 = span.has("start_time_unix_nano");
        String spanId = v3 ? span.path("span_id").asText("") : span.path("context").path("span_id").asText("");
        JsonNode parent = v3 ? span.get("parent_span_id") : span.get("parent_id");
        long start = (v3 ? span.path("start_time_unix_nano") : span.path("start_time")).asLong(0);
        JsonNode endNode = v3 ? span.path("end_time_unix_nano") : span.path("end_time");
        long end = endNode.isNumber() ? endNode.asLong() : start;
        String status = v3 ? span.path("status").path("code").asText("").replaceFirst("^STATUS_CODE_", "")
                : span.path("status_code").asText("");
        String message = v3 ? span.path("status").path("message").asText("") : span.path("status_message").asText("");
        List<Span.Event> events = new ArrayList<>();
        for (JsonNode event : span.path("events")) {
            events.add(new Span.Event(event.path("name").asText(""),
                    (event.has("time_unix_nano") ? event.path("time_unix_nano") : event.path("timestamp")).asLong(0),
                    texts(event.path("attributes"))));
        }
        return new Span(spanId, parent == null || parent.isNull() || parent.asText().isEmpty() ? Optional.empty()
                : Optional.of(parent.asText()), span.path("name").asText(""), start, Math.max(start, end),
                status.isEmpty() ? "UNSET" : status, message, type, inputs, outputs, attributes, events);
    }

    /**
     * A span kept in the database (OTLP's Span in protobuf JSON), read as the spans of a traces.json are: attribute
     * values as MLflow's tracer wrote them (JSON-encoded text), inputs, outputs and type taken out of them.
     */
    public static Span fromOtlp(OtlpSpan otlp) {
        Map<String, String> attributes = otlpAttributes(otlp.content().path("attributes"));
        Optional<String> inputs = Optional.ofNullable(attributes.remove(INPUTS));
        Optional<String> outputs = Optional.ofNullable(attributes.remove(OUTPUTS));
        String type = unquote(Optional.ofNullable(attributes.remove(TYPE)).orElse("UNKNOWN"));
        attributes.remove(OtlpSpans.TRACE_ID_ATTRIBUTE);
        List<Span.Event> events = new ArrayList<>();
        for (JsonNode event : otlp.content().path("events")) {
            events.add(new Span.Event(event.path("name").asText(""), event.path("time_unix_nano").asLong(0),
                    otlpAttributes(event.path("attributes"))));
        }
        return new Span(otlp.spanId(), otlp.parentSpanId(), otlp.name(), otlp.startNanos(), otlp.endNanos(), otlp.status(),
                otlp.content().path("status").path("message").asText(""), type, inputs, outputs, attributes, events);
    }

    private static Map<String, String> otlpAttributes(JsonNode attributes) {
        Map<String, String> texts = new LinkedHashMap<>();
        attributes.forEach(attribute -> texts.put(attribute.path("key").asText(), OtlpSpans.text(attribute.path("value"))));
        return texts;
    }

    private static Map<String, String> texts(JsonNode object) {
        Map<String, String> texts = new LinkedHashMap<>();
        object.properties().forEach(entry -> texts.put(entry.getKey(),
                entry.getValue().isTextual() ? entry.getValue().textValue() : entry.getValue().toString()));
        return texts;
    }

    /** {@code "\"CHAIN\""} as {@code CHAIN}: MLflow stores attribute values JSON-encoded. */
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
