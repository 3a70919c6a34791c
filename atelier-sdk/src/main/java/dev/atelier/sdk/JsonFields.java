package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads fields of MLflow-style JSON answers, where unset fields are simply left out. */
final class JsonFields {
    private JsonFields() {
    }

    /** The text of {@code field}, or {@code ""} when it is absent. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    /** The integer value of {@code field} (a number or a numeric string), or 0 when it is absent. */
    static long longValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        return value.isNumber() ? value.longValue() : Long.parseLong(value.asText().trim());
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && (value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText()));
    }

    /**
     * A point in time sent as epoch milliseconds or as an ISO-8601 instant; empty when absent or
     * unreadable (a display field is not worth failing a whole answer for).
     */
    static Optional<Instant> instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return Optional.of(Instant.ofEpochMilli(value.longValue()));
        }
        try {
            return Optional.of(Instant.parse(value.asText().trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The text of {@code field}, or empty when it is absent or null. */
    static Optional<String> optionalText(JsonNode node, String field) {
        return has(node, field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    static boolean has(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** A double that MLflow may send as the strings "NaN", "Infinity" or "-Infinity". */
    static double doubleValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return switch (value.asText().trim()) {
            case "NaN", "nan" -> Double.NaN;
            case "Infinity", "inf" -> Double.POSITIVE_INFINITY;
            case "-Infinity", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value.asText().trim());
        };
    }

    /** MLflow's {@code [{"key": ..., "value": ...}]} lists (tags, params) as an ordered map. */
    static Map<String, String> keyValues(JsonNode node, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode list = node.get(field);
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                values.put(text(entry, "key"), text(entry, "value"));
            }
        }
        return values;
    }
}
