package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spans of an OTLP/HTTP trace export ({@code POST /v1/traces}), in either encoding OTLP defines: binary protobuf
 * ({@code application/x-protobuf}, what MLflow's exporter sends; {@link OtlpProtobuf}) or JSON ({@code application/json}:
 * protobuf's JSON mapping with lowerCamelCase or snake_case names, trace and span ids in hex as OTLP's JSON encoding
 * says, enums by name or number, int64 as numbers or strings). Both become the same {@link OtlpSpan}s, whose content is
 * the protobuf JSON MLflow's server answers. Thread-safe (stateless).
 */
public final class OtlpSpans {
    /** The attribute in which MLflow's tracer writes the MLflow trace id (JSON-encoded) on every span. */
    static final String TRACE_ID_ATTRIBUTE = "mlflow.traceRequestId";
    private static final Set<String> ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");
    private static final Set<String> INT64_FIELDS = Set.of("start_time_unix_nano", "end_time_unix_nano", "time_unix_nano", "int_value");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final String[] SPAN_KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
        "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUS_CODES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

    private OtlpSpans() {
    }

    /**
     * The spans of a binary protobuf ExportTraceServiceRequest, in request order.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when it is not one or holds no resource spans (as MLflow's
     *         server, which answers 400 "Invalid OpenTelemetry protobuf format")
     */
    public static List<OtlpSpan> fromProtobuf(byte[] body) {
        try {
            return spans(OtlpProtobuf.exportRequest(body), "protobuf");
        } catch (IOException | RuntimeException e) {
            if (e instanceof AtelierException atelier) {
                throw atelier;
            }
            throw AtelierException.invalidParameter("Invalid OpenTelemetry protobuf format: " + e.getMessage());
        }
    }

    /**
     * The spans of an ExportTraceServiceRequest in OTLP's JSON encoding, in request order.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when it is not one JSON object with resource spans
     */
    public static List<OtlpSpan> fromJson(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Invalid OpenTelemetry JSON format: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw AtelierException.invalidParameter("Invalid OpenTelemetry JSON format: the body is not one JSON object");
        }
        return spans((ObjectNode) normalize(root, ""), "JSON");
    }

    private static List<OtlpSpan> spans(ObjectNode request, String format) {
        JsonNode resourceSpans = request.path("resource_spans");
        if (!resourceSpans.isArray() || resourceSpans.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid OpenTelemetry " + format + " format - no spans found");
        }
        List<OtlpSpan> spans = new ArrayList<>();
        for (JsonNode resource : resourceSpans) {
            for (JsonNode scope : resource.path("scope_spans")) {
                for (JsonNode span : scope.path("spans")) {
                    if (!span.isObject()) {
                        throw AtelierException.invalidParameter("Invalid OpenTelemetry " + format + " format: a span is not an object");
                    }
                    spans.add(span((ObjectNode) span));
                }
            }
        }
        return spans;
    }

    private static OtlpSpan span(ObjectNode span) {
        String traceId = hex(span, "trace_id", 16);
        String spanId = hex(span, "span_id", 8);
        if (span.path("parent_span_id").asText("").isEmpty()) {
            span.remove("parent_span_id");
        }
        Optional<String> parent = span.has("parent_span_id") ? Optional.of(hex(span, "parent_span_id", 8)) : Optional.empty();
        long start = span.path("start_time_unix_nano").asLong(0);
        long end = span.path("end_time_unix_nano").asLong(0);
        String status = span.path("status").path("code").asText("STATUS_CODE_UNSET").replaceFirst("^STATUS_CODE_", "");
        String mlflowTraceId = attribute(span, TRACE_ID_ATTRIBUTE).map(OtlpSpans::unquote).orElse("tr-" + traceId);
        return new OtlpSpan(mlflowTraceId, spanId, parent, span.path("name").asText(""), start, Math.max(start, end), status, span);
    }

    /** An id field (base64 in the normalized span) as hex, checked to be {@code bytes} long. */
    private static String hex(ObjectNode span, String field, int bytes) {
        byte[] id;
        try {
            id = Base64.getDecoder().decode(span.path(field).asText(""));
        } catch (IllegalArgumentException e) {
            id = new byte[0];
        }
        if (id.length != bytes) {
            throw AtelierException.invalidParameter("Invalid OpenTelemetry span: '" + field + "' must be " + bytes + " bytes");
        }
        return HexFormat.of().formatHex(id);
    }

    /** The text of a span attribute (a string value, else the value's JSON). */
    static Optional<String> attribute(JsonNode span, String key) {
        for (JsonNode attribute : span.path("attributes")) {
            if (key.equals(attribute.path("key").asText())) {
                return Optional.of(text(attribute.path("value")));
            }
        }
        return Optional.empty();
    }

    /** An AnyValue as MLflow reads it: a string as it is, anything else as its JSON. */
    static String text(JsonNode anyValue) {
        if (anyValue.has("string_value")) {
            return anyValue.get("string_value").asText();
        }
        Map.Entry<String, JsonNode> only = anyValue.properties().stream().findFirst().orElse(null);
        if (only == null) {
            return "null";
        }
        return switch (only.getKey()) {
            case "array_value" -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                only.getValue().path("values").forEach(value -> array.add(parse(text(value), value)));
                yield array.toString();
            }
            case "kvlist_value" -> {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                only.getValue().path("values").forEach(entry -> object.set(entry.path("key").asText(),
                        parse(text(entry.path("value")), entry.path("value"))));
                yield object.toString();
            }
            default -> only.getValue().toString();
        };
    }

    private static JsonNode parse(String text, JsonNode value) {
        return value.has("string_value") ? JsonNodeFactory.instance.textNode(text) : readOrText(text);
    }

    private static JsonNode readOrText(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    /** {@code "\"tr-1\""} as {@code tr-1}: MLflow keeps attribute values JSON-encoded. */
    static String unquote(String value) {
        JsonNode parsed = readOrText(value);
        return parsed.isTextual() ? parsed.asText() : value;
    }

    /**
     * OTLP JSON as protobuf JSON with preserved (snake_case) names: names in snake_case, hex ids in base64, enum
     * numbers as names, int64 text as numbers. {@code field} is the name the node is the value of.
     */
    private static JsonNode normalize(JsonNode node, String field) {
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> array.add(normalize(element, field)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(entry -> {
                String name = snakeCase(entry.getKey());
                object.set(name, normalize(entry.getValue(), name));
            });
            return object;
        }
        if (ID_FIELDS.contains(field) && node.isTextual()) {
            String text = node.asText();
            boolean hex = (text.length() == 32 || text.length() == 16) && HEX.matcher(text).matches();
            return JsonNodeFactory.instance.textNode(hex ? Base64.getEncoder().encodeToString(HexFormat.of().parseHex(text)) : text);
        }
        if (INT64_FIELDS.contains(field) && node.isTextual() && node.asText().matches("-?\\d+")) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(node.asText()));
        }
        if (field.equals("kind") && node.isInt()) {
            return JsonNodeFactory.instance.textNode(node.asInt() >= 0 && node.asInt() < SPAN_KINDS.length ? SPAN_KINDS[node.asInt()] : node.asText());
        }
        if (field.equals("code") && node.isInt()) {
            return JsonNodeFactory.instance.textNode(node.asInt() >= 0 && node.asInt() < STATUS_CODES.length ? STATUS_CODES[node.asInt()] : node.asText());
        }
        return node;
    }

    private static String snakeCase(String name) {
        StringBuilder snake = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }
}
