package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an input against a model signature's inputs and converts it to what the model takes, as
 * MLflow's schema enforcement does (mlflow/models/utils.py {@code _enforce_schema}) before a
 * prediction:
 * <ul>
 *   <li>column-based signature: the answer is a {@link Table} with the signature's columns in its
 *   order; a missing required column is refused, a missing optional one left out, extra columns
 *   ignored (MLflow ignores them too); values are converted per {@link ColumnTypes}. Tensors fit as
 *   one tensor per column (shape {@code [rows]} or {@code [rows, 1]}) or one {@code [rows, columns]}
 *   tensor whose columns are in the signature's order.</li>
 *   <li>tensor-based signature: the answer is {@link Tensors} named as the signature names them
 *   (positionally when it does not), extra tensors ignored, elements converted to the declared dtype
 *   when they fit ({@link TensorValues}), ranks and fixed dimensions checked ({@code -1}: any size).
 *   A table fits one tensor spec as a {@code [rows, columns]} tensor, several as one column per
 *   named tensor.</li>
 *   <li>a signature without inputs: the input as it is.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    /**
     * The input as the model takes it.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} naming the column or tensor, what the
     *                          signature expects and what the input holds
     */
    public static ModelInput conform(ModelInput input, ModelSignature signature) {
        return switch (input) {
            case Table table -> fromRows(table.columns(), table.rows(), signature.inputs());
            case Tensors tensors -> fromTensors(tensors.tensors(), signature.inputs());
        };
    }

    /** Rows of raw JSON or CSV values (not yet checked) as the model takes them. */
    static ModelInput fromRows(List<String> columns, List<List<Object>> rows, Optional<Schema> inputs) {
        if (inputs.isEmpty() || inputs.get().specs().isEmpty()) {
            return new Table(columns, rows);
        }
        Schema schema = inputs.get();
        if (schema.isTensorBased()) {
            return conformTensors(InputLayouts.tensorsOfTable(columns, rows, tensorSpecs(schema)), schema);
        }
        return conformTable(columns, rows, columnSpecs(schema));
    }

    /** Tensors (not yet checked against the signature) as the model takes them. */
    static ModelInput fromTensors(List<Tensor> tensors, Optional<Schema> inputs) {
        if (inputs.isEmpty() || inputs.get().specs().isEmpty()) {
            return new Tensors(tensors);
        }
        Schema schema = inputs.get();
        if (schema.isTensorBased()) {
            return conformTensors(tensors, schema);
        }
        List<ColumnSpec> specs = columnSpecs(schema);
        InputLayouts.Rows rows = InputLayouts.rowsOfTensors(tensors, specs);
        return conformTable(rows.columns(), rows.rows(), specs);
    }

    static List<ColumnSpec> columnSpecs(Schema schema) {
        return schema.specs().stream().map(ColumnSpec.class::cast).toList();
    }

    static List<TensorSpec> tensorSpecs(Schema schema) {
        return schema.specs().stream().map(TensorSpec.class::cast).toList();
    }

    /** The name of a spec: its own, or {@code prefix_index} for unnamed specs. */
    static String nameOf(SchemaSpec spec, String prefix, int index) {
        return spec.name().orElse(prefix + "_" + index);
    }

    private static Table conformTable(List<String> columns, List<List<Object>> rows, List<ColumnSpec> specs) {
        boolean named = specs.getFirst().name().isPresent();
        List<String> names = new ArrayList<>(specs.size());
        List<String> types = new ArrayList<>(specs.size());
        int[] positions;
        if (named) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                index.put(columns.get(i), i);
            }
            List<String> missing = new ArrayList<>();
            List<Integer> found = new ArrayList<>();
            for (ColumnSpec spec : specs) {
                Integer position = index.get(spec.name().orElseThrow());
                if (position != null) {
                    found.add(position);
                    names.add(spec.name().orElseThrow());
                    types.add(spec.type());
                } else if (spec.required()) {
                    missing.add(spec.name().orElseThrow());
                }
            }
            if (!missing.isEmpty()) {
                throw AtelierException.invalidParameter("the input is missing required column" + (missing.size() > 1 ? "s " : " ")
                        + missing + "; the model takes columns " + specs.stream().map(spec -> spec.name().orElseThrow()).toList()
                        + ", the input has " + columns);
            }
            positions = found.stream().mapToInt(Integer::intValue).toArray();
        } else {
            if (columns.size() != specs.size()) {
                throw AtelierException.invalidParameter("the model takes " + specs.size() + " unnamed columns, the input has "
                        + columns.size() + " " + columns);
            }
            names.addAll(columns);
            specs.forEach(spec -> types.add(spec.type()));
            positions = new int[columns.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
        }
        List<List<Object>> converted = new ArrayList<>(rows.size());
        for (int row = 0; row < rows.size(); row++) {
            List<Object> values = rows.get(row);
            if (values == null || values.size() != columns.size()) {
                throw AtelierException.invalidParameter("row " + row + " has " + (values == null ? 0 : values.size())
                        + " values for " + columns.size() + " columns " + columns);
            }
            List<Object> line = new ArrayList<>(positions.length);
            for (int i = 0; i < positions.length; i++) {
                line.add(ColumnTypes.coerce(values.get(positions[i]), types.get(i), names.get(i), row));
            }
            converted.add(line);
        }
        return new Table(names, converted);
    }

    private static Tensors conformTensors(List<Tensor> tensors, Schema schema) {
        List<TensorSpec> specs = tensorSpecs(schema);
        List<Tensor> ordered = new ArrayList<>(specs.size());
        if (specs.getFirst().name().isPresent()) {
            Map<String, Tensor> byName = new HashMap<>();
            tensors.forEach(tensor -> byName.put(tensor.name(), tensor));
            List<String> missing = new ArrayList<>();
            for (TensorSpec spec : specs) {
                Tensor tensor = byName.get(spec.name().orElseThrow());
                if (tensor == null) {
                    missing.add(spec.name().orElseThrow());
                } else {
                    ordered.add(tensor);
                }
            }
            if (!missing.isEmpty()) {
                throw AtelierException.invalidParameter("the input is missing tensor" + (missing.size() > 1 ? "s " : " ") + missing
                        + "; the model takes " + describeSpecs(specs) + ", the input has "
                        + tensors.stream().map(Tensor::name).toList());
            }
        } else {
            if (tensors.size() != specs.size()) {
                throw AtelierException.invalidParameter("the model takes " + specs.size() + " unnamed tensors, the input has "
                        + tensors.size());
            }
            ordered.addAll(tensors);
        }
        boolean changed = ordered.size() != tensors.size();
        for (int i = 0; i < ordered.size(); i++) {
            Tensor tensor = ordered.get(i);
            TensorSpec spec = specs.get(i);
            Tensor converted = TensorValues.convert(tensor, TensorType.fromNumpyName(spec.dtype()));
            checkShape(converted, spec);
            changed |= converted != tensor || tensors.get(i) != tensor;
            ordered.set(i, converted);
        }
        return new Tensors(changed ? ordered : tensors);
    }

    private static void checkShape(Tensor tensor, TensorSpec spec) {
        List<Long> expected = spec.shape();
        boolean fits = expected.size() == tensor.shape().size();
        for (int i = 0; fits && i < expected.size(); i++) {
            fits = expected.get(i) < 0 || expected.get(i).equals(tensor.shape().get(i));
        }
        if (!fits) {
            throw AtelierException.invalidParameter("tensor '" + tensor.name() + "' must have shape " + expected
                    + " (-1: any size), got " + tensor.shape());
        }
    }

    private static String describeSpecs(List<TensorSpec> specs) {
        return specs.stream().map(spec -> spec.name().orElse("") + " " + spec.dtype() + " " + spec.shape()).toList().toString();
    }
}
