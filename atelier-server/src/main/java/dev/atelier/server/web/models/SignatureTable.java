package dev.atelier.server.web.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A model signature as rows to show: MLflow writes {@code inputs}, {@code outputs} and
 * {@code params} as JSON texts holding column specs ({@code {"name", "type", "required"}}), tensor
 * specs ({@code {"type": "tensor", "tensor-spec": {"dtype", "shape"}}}) or param specs
 * ({@code {"name", "type", "default", "shape"}}). A part that does not parse is shown as its text.
 */
public record SignatureTable(List<Spec> inputs, List<Spec> outputs, List<Spec> params) {
    public SignatureTable {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        params = List.copyOf(params);
    }

    /** One column, tensor or parameter: its name ("–" when unnamed), type, and the rest (required, shape, default). */
    public record Spec(String name, String type, String detail) {
        public Spec {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** A flavor of the MLmodel and its configuration, values as JSON when they are not plain text. */
    public record Flavor(String name, List<Map.Entry<String, String>> settings) {
        public Flavor {
            requireNonNull(name, "name is null");
            settings = List.copyOf(settings);
        }
    }

    /** The signature of a version's MLmodel as the registry read it; empty when it has none. */
    static Optional<SignatureTable> of(Object signature) {
        if (!(signature instanceof Map<?, ?> parts)) {
            return Optional.empty();
        }
        return Optional.of(new SignatureTable(specs(parts.get("inputs")), specs(parts.get("outputs")), specs(parts.get("params"))));
    }

    static List<Flavor> flavors(Map<String, Object> flavors) {
        if (flavors == null) {
            return List.of();
        }
        List<Flavor> result = new ArrayList<>();
        flavors.forEach((name, config) -> {
            List<Map.Entry<String, String>> settings = new ArrayList<>();
            if (config instanceof Map<?, ?> map) {
                map.forEach((key, value) -> settings.add(Map.entry(String.valueOf(key), text(value))));
            }
            result.add(new Flavor(name, settings));
        });
        return result;
    }

    private static List<Spec> specs(Object part) {
        if (part == null) {
            return List.of();
        }
        JsonNode node;
        try {
            node = part instanceof String text ? Json.mapper().readTree(text) : Json.mapper().valueToTree(part);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return List.of(new Spec("–", "unreadable", String.valueOf(part)));
        }
        if (node == null || !node.isArray()) {
            return List.of(new Spec("–", "unreadable", String.valueOf(part)));
        }
        List<Spec> specs = new ArrayList<>();
        node.forEach(spec -> specs.add(spec(spec)));
        return specs;
    }

    private static Spec spec(JsonNode spec) {
        String name = spec.path("name").asText("–");
        String type = spec.path("type").asText("–");
        List<String> detail = new ArrayList<>();
        JsonNode tensor = spec.path("tensor-spec");
        if (tensor.isObject()) {
            type = "tensor " + tensor.path("dtype").asText("?");
            detail.add("shape " + tensor.path("shape"));
        } else if (spec.has("shape") && !spec.get("shape").isNull()) {
            detail.add("shape " + spec.get("shape"));
        }
        if (spec.has("default")) {
            detail.add("default " + spec.get("default"));
        }
        if (spec.has("required")) {
            detail.add(spec.get("required").asBoolean(true) ? "required" : "optional");
        }
        return new Spec(name.isEmpty() ? "–" : name, type, String.join(", ", detail));
    }

    private static String text(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
