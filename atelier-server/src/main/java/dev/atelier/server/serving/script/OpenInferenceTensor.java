package dev.atelier.server.serving.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a scoring script's {@code run()} returned into one Open Inference Protocol output tensor
 * (https://github.com/kserve/open-inference-protocol, REST: {@code $response_output}): the shape from the nesting
 * of arrays, the data flattened in row-major order, the datatype from the elements: all booleans {@code BOOL}, all
 * integers {@code INT64}, all numbers {@code FP64}, anything else {@code BYTES} (strings as they are, other values
 * as their JSON text). A scalar is a tensor of shape {@code [1]}.
 */
final class OpenInferenceTensor {
    static final String OUTPUT_NAME = "output-0";

    private OpenInferenceTensor() {
    }

    /** @throws ScoringScriptException when the arrays are ragged (no tensor has that shape) */
    static ObjectNode of(JsonNode answer) {
        List<Integer> shape = new ArrayList<>();
        List<JsonNode> elements = new ArrayList<>();
        if (answer.isArray()) {
            shapeOf(answer, shape);
            flatten(answer, 0, shape, elements);
        } else {
            shape.add(1);
            elements.add(answer);
        }
        String datatype = datatype(elements);
        ObjectNode tensor = JsonNodeFactory.instance.objectNode();
        tensor.put("name", OUTPUT_NAME);
        tensor.put("datatype", datatype);
        shape.forEach(tensor.putArray("shape")::add);
        ArrayNode data = tensor.putArray("data");
        for (JsonNode element : elements) {
            data.add(datatype.equals("BYTES") && !element.isTextual() ? JsonNodeFactory.instance.textNode(element.toString()) : element);
        }
        return tensor;
    }

    /** The shape along the first elements; {@link #flatten} checks that every element agrees. */
    private static void shapeOf(JsonNode node, List<Integer> shape) {
        for (JsonNode current = node; current.isArray(); current = current.isEmpty() ? null : current.get(0)) {
            shape.add(current.size());
            if (current.isEmpty()) {
                return;
            }
        }
    }

    private static void flatten(JsonNode node, int depth, List<Integer> shape, List<JsonNode> elements) {
        if (depth == shape.size()) {
            if (node.isArray()) {
                throw ragged();
            }
            elements.add(node);
            return;
        }
        if (!node.isArray() || node.size() != shape.get(depth)) {
            throw ragged();
        }
        for (JsonNode child : node) {
            flatten(child, depth + 1, shape, elements);
        }
    }

    private static String datatype(List<JsonNode> elements) {
        if (elements.isEmpty()) {
            return "FP64";
        }
        if (elements.stream().allMatch(JsonNode::isBoolean)) {
            return "BOOL";
        }
        if (elements.stream().allMatch(JsonNode::isIntegralNumber)) {
            return "INT64";
        }
        return elements.stream().allMatch(JsonNode::isNumber) ? "FP64" : "BYTES";
    }

    private static ScoringScriptException ragged() {
        return new ScoringScriptException("run() returned nested arrays of different lengths, which no Open Inference tensor has");
    }
}
