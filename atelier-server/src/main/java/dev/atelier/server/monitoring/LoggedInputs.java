package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Json;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the input of a logged request whose deployment did not hand over a parsed one, without the
 * model's signature: MLflow's {@code dataframe_split}, {@code dataframe_records}, {@code instances} and
 * {@code inputs} (records, a dict of columns, or rows of numbers), Azure's {@code {"data": ...}} in
 * the same shapes, and the Open Inference Protocol's typed {@code inputs}. Rows of numbers without
 * names become the tensor {@code input} (columns {@code input_<i>}). Anything else is empty, and the
 * raw body is logged. Runs on the log's writer thread, never on a request's. Thread-safe (no state).
 */
final class LoggedInputs {
    private static final String UNNAMED = "input";

    private LoggedInputs() {
    }

    static Optional<ModelInput> parse(byte[] body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            return json == null ? Optional.empty() : of(json);
        } catch (RuntimeException e) {
            return Optional.empty();  // values the input records refuse (nulls in tensors, mixed shapes)
        }
    }

    private static Optional<ModelInput> of(JsonNode json) {
        if (json.isArray()) {
            return values(json);
        }
        JsonNode split = json.path("dataframe_split");
        if (split.isObject()) {
            List<String> columns = new ArrayList<>();
            split.path("columns").forEach(column -> columns.add(column.asText()));
            List<List<Object>> rows = new ArrayList<>();
            split.path("data").forEach(row -> rows.add(scalars(row)));
            return Optional.of(new Table(columns, rows));
        }
        if (json.path("dataframe_records").isArray()) {
            return records(json.path("dataframe_records"));
        }
        JsonNode inputs = json.path("inputs");
        if (inputs.isArray() && !inputs.isEmpty() && inputs.get(0).has("datatype")) {
            return openInference(inputs);
        }
        for (String key : List.of("instances", "inputs", "data")) {
            if (json.has(key)) {
                return json.get(key).isObject() ? columns(json.get(key)) : values(json.get(key));
            }
        }
        return Optional.empty();
    }

    /** A list: records (objects), rows of numbers, or one column of numbers. */
    private static Optional<ModelInput> values(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        if (list.get(0).isObject()) {
            return records(list);
        }
        if (list.get(0).isArray()) {
            int width = list.get(0).size();
            List<Object> flat = new ArrayList<>();
            for (JsonNode row : list) {
                if (row.size() != width) {
                    return Optional.empty();
                }
                flat.addAll(scalars(row));
            }
            return Optional.of(Tensors.of(new Tensor(UNNAMED, TensorType.FP64, List.of((long) list.size(), (long) width), flat)));
        }
        return Optional.of(Tensors.of(new Tensor(UNNAMED, TensorType.FP64, List.of((long) list.size()), scalars(list))));
    }

    private static Optional<ModelInput> records(JsonNode records) {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        records.forEach(record -> record.fieldNames().forEachRemaining(columns::add));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode record : records) {
            List<Object> row = new ArrayList<>();
            columns.forEach(column -> row.add(scalar(record.path(column))));
            rows.add(row);
        }
        return Optional.of(new Table(List.copyOf(columns), rows));
    }

    /** A dict of equally long columns. */
    private static Optional<ModelInput> columns(JsonNode dict) {
        List<String> names = new ArrayList<>();
        List<List<Object>> columns = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : dict.properties()) {
            names.add(field.getKey());
            columns.add(field.getValue().isArray() ? scalars(field.getValue()) : List.of(scalar(field.getValue())));
        }
        int rows = columns.isEmpty() ? 0 : columns.getFirst().size();
        if (columns.stream().anyMatch(column -> column.size() != rows)) {
            return Optional.empty();
        }
        List<List<Object>> table = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int row = r;
            table.add(columns.stream().map(column -> column.get(row)).toList());
        }
        return Optional.of(new Table(names, table));
    }

    private static Optional<ModelInput> openInference(JsonNode inputs) {
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode input : inputs) {
            List<Long> shape = new ArrayList<>();
            input.path("shape").forEach(dimension -> shape.add(dimension.asLong()));
            List<Object> flat = new ArrayList<>();
            flatten(input.path("data"), flat);
            tensors.add(new Tensor(input.path("name").asText(), TensorType.fromProtocolName(input.path("datatype").asText()), shape,
                    flat));
        }
        return Optional.of(new Tensors(tensors));
    }

    private static void flatten(JsonNode node, List<Object> into) {
        if (node.isArray()) {
            node.forEach(element -> flatten(element, into));
        } else {
            into.add(scalar(node));
        }
    }

    private static List<Object> scalars(JsonNode list) {
        List<Object> values = new ArrayList<>();
        list.forEach(value -> values.add(scalar(value)));
        return values;
    }

    /** A number, string or boolean; nested values as their JSON text; null for null or absent. */
    private static Object scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
