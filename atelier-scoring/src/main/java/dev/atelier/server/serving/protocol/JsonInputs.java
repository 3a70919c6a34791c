package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of MLflow's {@code instances}/{@code inputs} (TensorFlow Serving's request format)
 * and Azure's {@code data}, as a {@link ModelInput} checked by {@link SignatureCheck}:
 * <ul>
 *   <li>a list of objects: rows of named values (a tensor signature takes them column by column, as
 *   MLflow's {@code instances} does);</li>
 *   <li>an object of named lists (or of scalars, one row): columns, or named tensors;</li>
 *   <li>a (nested) list: rows in the signature's column order, one column for a one-column
 *   signature, or the one tensor of a one-tensor signature.</li>
 * </ul>
 */
final class JsonInputs {
    private JsonInputs() {
    }

    /**
     * @param key the request field the value came in, named in errors
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the value fits none of the shapes
     */
    static ModelInput fromValue(Object value, Optional<Schema> inputs, String key) {
        boolean columns = inputs.isPresent() && !inputs.get().specs().isEmpty() && !inputs.get().isTensorBased();
        boolean tensors = inputs.isPresent() && inputs.get().isTensorBased();
        if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?>) {
            InputLayouts.Rows rows = records(ProtocolJson.list(value, key), key);
            return tensors ? named(transpose(rows), inputs, key) : SignatureCheck.fromRows(rows.columns(), rows.rows(), inputs);
        }
        if (value instanceof Map<?, ?>) {
            Map<String, Object> map = ProtocolJson.object(value, key);
            return columns ? columnsOf(map, inputs, key) : named(map, inputs, key);
        }
        if (value instanceof List<?>) {
            List<Object> list = ProtocolJson.list(value, key);
            return columns ? positionalRows(list, inputs.get(), key) : singleTensor(list, inputs, key);
        }
        throw AtelierException.invalidParameter("'" + key + "' must be a list or an object of named inputs, got "
                + ProtocolJson.describe(value));
    }

    /** Records as rows: the columns in order of first appearance, a key a record lacks is a missing value. */
    static InputLayouts.Rows records(List<Object> records, String key) {
        Map<String, Integer> positions = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> record = ProtocolJson.object(records.get(i), "'" + key + "' item " + i);
            for (String column : record.keySet()) {
                positions.putIfAbsent(column, positions.size());
            }
        }
        List<List<Object>> rows = new ArrayList<>(records.size());
        for (Object item : records) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) item;
            Object[] row = new Object[positions.size()];
            record.forEach((column, cell) -> row[positions.get(column)] = cell);
            rows.add(Arrays.asList(row));
        }
        return new InputLayouts.Rows(List.copyOf(positions.keySet()), rows);
    }

    private static Map<String, Object> transpose(InputLayouts.Rows rows) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int column = 0; column < rows.columns().size(); column++) {
            List<Object> values = new ArrayList<>(rows.rows().size());
            for (List<Object> row : rows.rows()) {
                values.add(row.get(column));
            }
            columns.put(rows.columns().get(column), values);
        }
        return columns;
    }

    private static ModelInput columnsOf(Map<String, Object> map, Optional<Schema> inputs, String key) {
        List<String> columns = List.copyOf(map.keySet());
        boolean scalars = map.values().stream().noneMatch(List.class::isInstance);
        int rowCount = -1;
        if (scalars) {
            rowCount = 1;
        } else {
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                int size = ProtocolJson.list(entry.getValue(), "'" + key + "' column '" + entry.getKey() + "'").size();
                if (rowCount >= 0 && size != rowCount) {
                    throw AtelierException.invalidParameter("the columns of '" + key + "' have different lengths: '"
                            + entry.getKey() + "' has " + size + " values, the one before " + rowCount);
                }
                rowCount = size;
            }
        }
        List<List<Object>> rows = new ArrayList<>(rowCount);
        for (int row = 0; row < rowCount; row++) {
            List<Object> line = new ArrayList<>(columns.size());
            for (String column : columns) {
                Object cell = map.get(column);
                line.add(scalars ? cell : ((List<?>) cell).get(row));
            }
            rows.add(line);
        }
        return SignatureCheck.fromRows(columns, rows, inputs);
    }

    private static ModelInput named(Map<String, Object> map, Optional<Schema> inputs, String key) {
        List<Tensor> tensors = new ArrayList<>(map.size());
        map.forEach((name, nested) -> tensors.add(TensorValues.fromNested(name, nested, specType(inputs, name))));
        return SignatureCheck.fromTensors(tensors, inputs);
    }

    private static ModelInput positionalRows(List<Object> list, Schema schema, String key) {
        List<ColumnSpec> specs = SignatureCheck.columnSpecs(schema);
        List<String> names = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            names.add(SignatureCheck.nameOf(specs.get(i), "column", i));
        }
        boolean rowsOfValues = !list.isEmpty() && list.getFirst() instanceof List<?>;
        if (!rowsOfValues && specs.size() != 1 && !list.isEmpty()) {
            throw AtelierException.invalidParameter("'" + key + "' must be a list of rows, each with the values of columns "
                    + names + " in this order, or an object of named columns");
        }
        List<List<Object>> rows = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!rowsOfValues) {
                rows.add(Collections.singletonList(item));
                continue;
            }
            List<Object> row = ProtocolJson.list(item, "'" + key + "' row " + i);
            if (row.size() != names.size()) {
                throw AtelierException.invalidParameter("'" + key + "' row " + i + " has " + row.size() + " values; the model "
                        + "takes " + names.size() + " columns " + names + ", in this order");
            }
            rows.add(row);
        }
        return SignatureCheck.fromRows(names, rows, Optional.of(schema));
    }

    private static ModelInput singleTensor(List<Object> list, Optional<Schema> inputs, String key) {
        List<TensorSpec> specs = inputs.map(SignatureCheck::tensorSpecs).orElse(List.of());
        if (specs.size() > 1) {
            throw AtelierException.invalidParameter("the model takes tensors " + specs.stream().map(spec -> spec.name().orElse(""))
                    .toList() + ": send '" + key + "' as an object of named inputs");
        }
        String name = specs.isEmpty() ? "input" : SignatureCheck.nameOf(specs.getFirst(), "input", 0);
        TensorType type = specs.isEmpty() ? null : TensorType.fromNumpyName(specs.getFirst().dtype());
        return SignatureCheck.fromTensors(List.of(TensorValues.fromNested(name, list, type)), inputs);
    }

    /** The declared element type of the named tensor, or null to infer it from the values. */
    private static TensorType specType(Optional<Schema> inputs, String name) {
        if (inputs.isEmpty() || !inputs.get().isTensorBased()) {
            return null;
        }
        return SignatureCheck.tensorSpecs(inputs.get()).stream()
                .filter(spec -> spec.name().orElse("").equals(name))
                .findFirst().map(spec -> TensorType.fromNumpyName(spec.dtype())).orElse(null);
    }
}
