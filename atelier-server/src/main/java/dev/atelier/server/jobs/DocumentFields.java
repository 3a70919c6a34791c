package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of a job document's fields; every error names the field's path in the document
 * (such as {@code trial.limits.timeout}) and says what was expected.
 */
final class DocumentFields {
    private final JsonNode node;
    private final String path;

    DocumentFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static DocumentFields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw AtelierException.invalidParameter("Invalid job document: '" + (path.isEmpty() ? "the document" : path)
                    + "' must be a mapping");
        }
        return new DocumentFields(node, path);
    }

    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Refuses fields outside {@code known}: a misspelt field would otherwise be ignored silently. */
    void onlyKnown(Set<String> known) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw AtelierException.invalidParameter("Unknown field '" + pathOf(field) + "' in the job document; known fields: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    JsonNode get(String field) {
        return node.get(field);
    }

    Optional<String> text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode() || value.isBinary()) {
            throw invalid(field, "a string");
        }
        return Optional.of(value.asText());
    }

    String requiredText(String field) {
        return text(field).filter(text -> !text.isBlank()).orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required field '" + pathOf(field) + "' in the job document"));
    }

    Optional<Long> positiveLong(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
            throw invalid(field, "a positive integer");
        }
        return Optional.of(value.asLong());
    }

    Optional<Double> number(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw invalid(field, "a number");
        }
        return Optional.of(value.asDouble());
    }

    double requiredNumber(String field) {
        return number(field).orElseThrow(() -> AtelierException.invalidParameter("Missing value for required field '"
                + pathOf(field) + "' in the job document"));
    }

    Optional<DocumentFields> object(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(of(value, pathOf(field)));
    }

    /** A mapping of names to scalar values, rendered as text. */
    Map<String, String> textMap(String field) {
        Map<String, String> values = new LinkedHashMap<>();
        object(field).ifPresent(map -> map.node.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value == null || !value.isValueNode() || value.isNull()) {
                throw AtelierException.invalidParameter("Invalid value for '" + map.pathOf(entry.getKey()) + "': expected a string, "
                        + "number or boolean");
            }
            values.put(entry.getKey(), value.asText());
        }));
        return values;
    }

    AtelierException invalid(String field, String expected) {
        return AtelierException.invalidParameter("Invalid value for '" + pathOf(field) + "' in the job document: expected " + expected);
    }
}
