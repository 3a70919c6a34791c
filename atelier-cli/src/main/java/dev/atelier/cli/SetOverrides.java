package dev.atelier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --set KEY=VALUE}, as {@code az ml ... create|update} takes it: sets one field of the command's YAML document
 * before it is sent, by a dotted path ({@code resources.instance_count=2}, {@code environment_variables.MODE=fast},
 * {@code inputs.lr.value=0.1}; a number addresses an item of a list). The value is read as JSON when it is a number,
 * {@code true}/{@code false}, {@code null}, an object or a list, and as text otherwise. Missing mappings on the path
 * are created. A picocli mixin; one instance per command run.
 */
final class SetOverrides {
    /** Reads a whole value or fails: {@code true story} is text, not {@code true}. */
    private static final ObjectMapper VALUES = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set a field of the YAML document (a dotted path, e.g. resources.instance_count=2); repeat for more.")
    List<String> assignments = new ArrayList<>();

    /** Applies every {@code --set} to {@code document} in order; a bad one is a usage error of {@code command}. */
    ObjectNode applyTo(ClientCommand command, ObjectNode document) {
        try {
            return applyTo(document);
        } catch (IllegalArgumentException e) {
            throw command.usageError(e.getMessage());
        }
    }

    /** Applies every {@code --set} to {@code document} in order; {@link IllegalArgumentException} naming a bad one. */
    ObjectNode applyTo(ObjectNode document) {
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + assignment + "'");
            }
            String path = assignment.substring(0, equals);
            String[] keys = path.split("\\.", -1);
            JsonNode node = document;
            for (int i = 0; i < keys.length; i++) {
                String key = keys[i];
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("--set " + path + ": empty key in the path");
                }
                boolean last = i == keys.length - 1;
                String at = String.join(".", List.of(keys).subList(0, i + 1));
                if (node instanceof ObjectNode object) {
                    if (last) {
                        object.set(key, value(assignment.substring(equals + 1)));
                    } else {
                        JsonNode next = object.get(key);
                        node = next == null || next.isNull() ? object.putObject(key) : next;
                    }
                } else if (node instanceof ArrayNode array) {
                    int index = index(key, array, path, at);
                    if (last) {
                        array.set(index, value(assignment.substring(equals + 1)));
                    } else {
                        node = array.get(index);
                    }
                } else {
                    throw new IllegalArgumentException("--set " + path + ": '" + at.substring(0, Math.max(0, at.lastIndexOf('.')))
                            + "' is a value, not a mapping or a list");
                }
            }
        }
        return document;
    }

    private static int index(String key, ArrayNode array, String path, String at) {
        try {
            int index = Integer.parseInt(key);
            if (index >= 0 && index < array.size()) {
                return index;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--set " + path + ": '" + at + "' addresses a list; give an item's number");
        }
        throw new IllegalArgumentException("--set " + path + ": the list has " + array.size() + " items, no item " + key);
    }

    private static JsonNode value(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode parsed = VALUES.readTree(trimmed);
            return parsed == null || parsed.isTextual() ? TextNode.valueOf(text) : parsed;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }
}
