package dev.atelier.server.components;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.environments.EnvironmentDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code type: command} component document (Azure ML CLI v2's component YAML, as JSON) into a
 * {@link ComponentSpec}. Unknown fields are refused (a misspelt one would otherwise be ignored); every error is an
 * {@code INVALID_PARAMETER_VALUE} naming the field's path after {@code prefix}. {@code code} must be an uploaded
 * snapshot ({@code snapshot:<id>}: clients upload local folders); {@code environment} is a reference
 * ({@code azureml:<name>:<version>}, {@code azureml:<name>@latest}) or an inline mapping, read by
 * {@link #inlineEnvironment} and registered by whoever stores the component. Stateless.
 */
public final class ComponentDocument {
    private static final Set<String> FIELDS = Set.of("$schema", "type", "name", "version", "display_name", "description", "tags",
            "is_deterministic", "code", "environment", "command", "inputs", "outputs");
    private static final Set<String> INPUT_FIELDS = Set.of("type", "default", "optional", "min", "max", "enum", "description");
    private static final Set<String> OUTPUT_FIELDS = Set.of("type", "description");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,255}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot:([0-9a-f]{64})");

    private ComponentDocument() {
    }

    /**
     * Reads and checks a component document; errors name {@code prefix + field} (a pipeline's inline component passes
     * {@code jobs.<step>.component.}). An inline environment mapping is checked here and left out of the spec's
     * {@code environment} (empty) until it is registered: see {@link #inlineEnvironment} and {@link #withEnvironment}.
     */
    public static ComponentSpec parse(JsonNode document, String prefix) {
        if (document == null || !document.isObject()) {
            throw invalid(prefix.isEmpty() ? "the component document" : strip(prefix), "a mapping of fields (name, command, inputs, ...)");
        }
        onlyKnown(document, prefix, FIELDS);
        String type = text(document, prefix, "type").orElse("command");
        if (!type.equals("command")) {
            throw invalid(prefix + "type", "command (the only component type Atelier runs)", type);
        }
        String name = requiredText(document, prefix, "name");
        if (!NAME.matcher(name).matches()) {
            throw invalid(prefix + "name", "lowercase letters, digits and '_' (at most 255)", name);
        }
        Optional<String> version = text(document, prefix, "version");
        version.ifPresent(v -> {
            if (!VERSION.matcher(v).matches()) {
                throw invalid(prefix + "version", "letters, digits, '.', '_' and '-', starting with a letter or digit", v);
            }
        });
        boolean deterministic = true;
        JsonNode flag = document.get("is_deterministic");
        if (flag != null && !flag.isNull()) {
            if (!flag.isBoolean()) {
                throw invalid(prefix + "is_deterministic", "true or false", flag.asText());
            }
            deterministic = flag.asBoolean();
        }
        Optional<String> code = text(document, prefix, "code").map(value -> {
            var matcher = SNAPSHOT.matcher(value);
            if (!matcher.matches()) {
                throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + prefix + "code': the server cannot read "
                        + "local paths; create the component with 'atelier component create -f' (or the SDK), which uploads the code "
                        + "folder as a snapshot");
            }
            return matcher.group(1);
        });
        Optional<String> environment = Optional.empty();
        JsonNode env = document.get("environment");
        if (env != null && !env.isNull()) {
            if (env.isObject()) {
                EnvironmentDocument.parseInline(env, prefix + "environment.");
            } else if (env.isTextual() && !env.asText().isBlank()) {
                environment = Optional.of(env.asText());
            } else {
                throw invalid(prefix + "environment", "an environment reference (azureml:<name>:<version>) or an inline mapping",
                        env.asText());
            }
        }
        String command = requiredText(document, prefix, "command");
        Map<String, ComponentInput> inputs = inputs(document, prefix);
        Map<String, ComponentOutput> outputs = outputs(document, prefix);
        ComponentRules.checkCommand(prefix + "command", command, inputs, outputs);
        return new ComponentSpec(name, version, text(document, prefix, "display_name").orElse(name),
                text(document, prefix, "description").orElse(""), textMap(document, prefix, "tags"), deterministic, code, environment,
                command, inputs, outputs);
    }

    /** The inline environment mapping of a component document, read as an environment draft; empty for a reference. */
    public static Optional<EnvironmentDocument.Draft> inlineEnvironment(JsonNode document, String prefix) {
        JsonNode env = document.path("environment");
        return env.isObject() ? Optional.of(EnvironmentDocument.parseInline(env, prefix + "environment.")) : Optional.empty();
    }

    /** A copy of the document whose environment is {@code azureml:<reference>} (an inline one, once registered). */
    public static ObjectNode withEnvironment(JsonNode document, String reference) {
        ObjectNode copy = document.deepCopy();
        copy.put("environment", "azureml:" + reference);
        return copy;
    }

    private static Map<String, ComponentInput> inputs(JsonNode document, String prefix) {
        Map<String, ComponentInput> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : mapping(document, prefix, "inputs").entrySet()) {
            String field = prefix + "inputs." + entry.getKey();
            JsonNode node = entry.getValue();
            if (node == null || !node.isObject()) {
                throw invalid(field, "a mapping with 'type' (and default, optional, min, max, enum, description)");
            }
            onlyKnown(node, field + ".", INPUT_FIELDS);
            IoType type = type(node, field);
            boolean optional = false;
            JsonNode optionalNode = node.get("optional");
            if (optionalNode != null && !optionalNode.isNull()) {
                if (!optionalNode.isBoolean()) {
                    throw invalid(field + ".optional", "true or false", optionalNode.asText());
                }
                optional = optionalNode.asBoolean();
            }
            Optional<Double> min = number(node, field, "min");
            Optional<Double> max = number(node, field, "max");
            if ((min.isPresent() || max.isPresent()) && type != IoType.NUMBER && type != IoType.INTEGER) {
                throw AtelierException.invalidParameter("Invalid '" + field + (min.isPresent() ? ".min" : ".max") + "': only number and "
                        + "integer inputs have bounds, the input is " + type.wireName());
            }
            if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
                throw AtelierException.invalidParameter("Invalid '" + field + ".min': " + format(min.get()) + " is greater than max "
                        + format(max.get()));
            }
            List<String> values = new ArrayList<>();
            JsonNode enumNode = node.get("enum");
            if (enumNode != null && !enumNode.isNull()) {
                if (type != IoType.STRING) {
                    throw AtelierException.invalidParameter("Invalid '" + field + ".enum': only string inputs have an enum, the input is "
                            + type.wireName());
                }
                if (!enumNode.isArray() || enumNode.isEmpty()) {
                    throw invalid(field + ".enum", "a non-empty list of values");
                }
                enumNode.forEach(value -> {
                    if (!value.isValueNode() || value.isNull()) {
                        throw invalid(field + ".enum", "a list of strings");
                    }
                    values.add(value.asText());
                });
            }
            Optional<String> defaultValue = Optional.empty();
            JsonNode defaultNode = node.get("default");
            if (defaultNode != null && !defaultNode.isNull()) {
                if (!defaultNode.isValueNode()) {
                    throw invalid(field + ".default", "a string, number or boolean");
                }
                defaultValue = Optional.of(defaultNode.asText());
            }
            ComponentInput input = new ComponentInput(type, defaultValue, optional, min, max, values,
                    text(node, field + ".", "description").orElse(""));
            if (type.literal()) {
                defaultValue.ifPresent(value -> input.check(field + ".default", value));
            }
            inputs.put(entry.getKey(), input);
        }
        return inputs;
    }

    private static Map<String, ComponentOutput> outputs(JsonNode document, String prefix) {
        Map<String, ComponentOutput> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : mapping(document, prefix, "outputs").entrySet()) {
            String field = prefix + "outputs." + entry.getKey();
            JsonNode node = entry.getValue();
            if (node == null || !node.isObject()) {
                throw invalid(field, "a mapping with 'type' (uri_folder, uri_file, mltable or mlflow_model)");
            }
            onlyKnown(node, field + ".", OUTPUT_FIELDS);
            IoType type = type(node, field);
            if (type.literal()) {
                throw invalid(field + ".type", "uri_folder, uri_file, mltable or mlflow_model (outputs are data)", type.wireName());
            }
            outputs.put(entry.getKey(), new ComponentOutput(type, text(node, field + ".", "description").orElse("")));
        }
        return outputs;
    }

    private static IoType type(JsonNode node, String field) {
        String type = requiredText(node, field + ".", "type");
        return IoType.parse(type).orElseThrow(() -> invalid(field + ".type",
                "number, integer, boolean, string, uri_file, uri_folder, mltable or mlflow_model", type));
    }

    private static Map<String, JsonNode> mapping(JsonNode document, String prefix, String field) {
        JsonNode node = document.get(field);
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return entries;
        }
        if (!node.isObject()) {
            throw invalid(prefix + field, "a mapping of names");
        }
        node.properties().forEach(entry -> {
            if (!IO_NAME.matcher(entry.getKey()).matches()) {
                throw AtelierException.invalidParameter("Invalid name '" + entry.getKey() + "' at '" + prefix + field + "."
                        + entry.getKey() + "': use letters, digits and '_', starting with a letter or '_'");
            }
            entries.put(entry.getKey(), entry.getValue());
        });
        return entries;
    }

    private static void onlyKnown(JsonNode node, String prefix, Set<String> known) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw AtelierException.invalidParameter("Unknown field '" + prefix + field + "' in the component document; known fields: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }

    private static Optional<String> text(JsonNode node, String prefix, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw invalid(prefix + field, "a string");
        }
        return Optional.of(value.asText());
    }

    private static String requiredText(JsonNode node, String prefix, String field) {
        return text(node, prefix, field).filter(text -> !text.isBlank()).orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required field '" + prefix + field + "' in the component document"));
    }

    private static Optional<Double> number(JsonNode node, String field, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw invalid(field + "." + name, "a number", value.asText());
        }
        return Optional.of(value.asDouble());
    }

    private static Map<String, String> textMap(JsonNode node, String prefix, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode map = node.get(field);
        if (map == null || map.isNull()) {
            return values;
        }
        if (!map.isObject()) {
            throw invalid(prefix + field, "a mapping of names to values");
        }
        map.properties().forEach(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw invalid(prefix + field + "." + entry.getKey(), "a string, number or boolean");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        });
        return values;
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String strip(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private static AtelierException invalid(String field, String expected) {
        return AtelierException.invalidParameter("Invalid value for '" + field + "': expected " + expected);
    }

    private static AtelierException invalid(String field, String expected, String value) {
        return AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected " + expected);
    }
}
