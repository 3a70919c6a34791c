package dev.atelier.server.serving.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a scoring script answered on {@code POST /score} into the answer of the protocol the call came in, as
 * the script workers do: Azure's {@code /score} as is; MLflow's {@code /invocations} as {@code {"predictions": ...}}
 * unless the script already answered an object with {@code predictions}; the Open Inference Protocol as is when it
 * has {@code outputs}, else as one tensor {@code output-0} (shape and datatype read from the JSON value). A 4xx from
 * the script is the caller's fault ({@link AtelierException}); anything else not 2xx is a model error.
 */
final class ScoringAnswers {
    private static final int MAX_MESSAGE = 500;

    private ScoringAnswers() {
    }

    static ScoringResponse map(ScoringCall call, String deployment, int status, String contentType, byte[] body) {
        if (status >= 400 && status < 500) {
            throw AtelierException.invalidParameter("Deployment '" + deployment + "' refused the input (HTTP " + status + "): "
                    + message(body));
        }
        if (status < 200 || status >= 300) {
            throw new ServiceCallFailure("Deployment '" + deployment + "' answered HTTP " + status + ": " + message(body));
        }
        return switch (call.protocol()) {
            case AZURE_SCORE -> new ScoringResponse(status, contentType.isEmpty() ? "application/json" : contentType, body);
            case MLFLOW_INVOCATIONS -> {
                JsonNode answer = parse(body);
                yield answer.isObject() && answer.has("predictions") ? ScoringResponse.json(body)
                        : json(JsonNodeFactory.instance.objectNode().set("predictions", answer));
            }
            case OPEN_INFERENCE -> {
                JsonNode answer = parse(body);
                if (answer.isObject() && answer.has("outputs")) {
                    yield ScoringResponse.json(body);
                }
                JsonNode value = answer.isObject() && answer.has("predictions") ? answer.get("predictions") : answer;
                ObjectNode response = JsonNodeFactory.instance.objectNode();
                response.put("model_name", call.modelName());
                response.put("id", call.requestId());
                response.putArray("outputs").add(tensor("output-0", value));
                yield json(response);
            }
        };
    }

    /** An Open Inference Protocol tensor: its shape from nested arrays, its data flattened row-major. */
    static ObjectNode tensor(String name, JsonNode value) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode level = value; level.isArray(); level = level.isEmpty() ? JsonNodeFactory.instance.nullNode() : level.get(0)) {
            shape.add(level.size());
        }
        List<JsonNode> leaves = new ArrayList<>();
        if (shape.isEmpty()) {
            shape.add(1);
            leaves.add(value);
        } else if (!collect(value, 0, shape, leaves)) {
            // Ragged rows: one BYTES element per row, its JSON text.
            shape.clear();
            leaves.clear();
            shape.add(value.size());
            value.forEach(leaves::add);
        }
        String datatype = datatype(leaves);
        ObjectNode tensor = JsonNodeFactory.instance.objectNode();
        tensor.put("name", name);
        ArrayNode shapeNode = tensor.putArray("shape");
        shape.forEach(shapeNode::add);
        tensor.put("datatype", datatype);
        ArrayNode data = tensor.putArray("data");
        leaves.forEach(leaf -> data.add("BYTES".equals(datatype) && !leaf.isTextual() ? JsonNodeFactory.instance.textNode(leaf.toString()) : leaf));
        return tensor;
    }

    /** Collects the leaves of a nested array of the given shape; false when a row differs in length or depth. */
    private static boolean collect(JsonNode node, int depth, List<Integer> shape, List<JsonNode> leaves) {
        if (depth == shape.size()) {
            leaves.add(node);
            return !node.isArray();
        }
        if (!node.isArray() || node.size() != shape.get(depth)) {
            return false;
        }
        for (JsonNode element : node) {
            if (!collect(element, depth + 1, shape, leaves)) {
                return false;
            }
        }
        return true;
    }

    private static String datatype(List<JsonNode> leaves) {
        if (!leaves.isEmpty() && leaves.stream().allMatch(JsonNode::isBoolean)) {
            return "BOOL";
        }
        if (leaves.stream().allMatch(JsonNode::isIntegralNumber)) {
            return leaves.isEmpty() ? "FP64" : "INT64";
        }
        if (leaves.stream().allMatch(JsonNode::isNumber)) {
            return "FP64";
        }
        return "BYTES";
    }

    /** The script's answer as JSON; text that is not JSON becomes a JSON string. */
    private static JsonNode parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode node = Json.mapper().readTree(text);
            return node == null || node.isMissingNode() ? JsonNodeFactory.instance.textNode(text) : node;
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static ScoringResponse json(JsonNode node) {
        try {
            return ScoringResponse.json(Json.mapper().writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    /** The {@code error} or {@code message} of a JSON error body, else the body's text, cut at 500 characters. */
    private static String message(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode node = Json.mapper().readTree(text);
            Optional<String> field = node == null || !node.isObject() ? Optional.empty()
                    : Optional.ofNullable(node.hasNonNull("error") ? node.get("error") : node.get("message")).map(JsonNode::asText);
            text = field.orElse(text);
        } catch (IOException e) {
            // not JSON: the text as is
        }
        if (text.isEmpty()) {
            return "(empty answer)";
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
    }
}
