package dev.atelier.server.models;

import dev.atelier.api.mlmodel.ModelSignature;

/**
 * A model loaded in this JVM, ready to predict. Implementations are thread-safe: one instance serves
 * concurrent requests. Close it to release native memory (ONNX Runtime sessions, XGBoost boosters).
 */
public interface ModelRuntime extends AutoCloseable {
    /** The flavor it was loaded from, such as {@code onnx}. */
    String flavor();

    /**
     * The inputs and outputs: the model's own {@code MLmodel} signature where it has one, otherwise
     * what the native model describes (ONNX graph inputs and outputs, XGBoost feature names, Tribuo
     * feature and output domains). Both {@code inputs} and {@code outputs} are present.
     */
    ModelSignature signature();

    /**
     * Predicts a batch.
     *
     * @throws dev.atelier.api.AtelierException {@code INVALID_PARAMETER_VALUE} naming the column or
     *                                          tensor when the input does not fit the model
     */
    ModelOutput predict(ModelInput input);

    /**
     * Predicts {@code rows} rows of {@code columns} numbers given row after row in {@code values}, as {@link #predict}
     * does one tensor of shape {@code [rows, columns]} (batch scoring's mini-batches). A runtime may override it to skip
     * boxing every value into a {@link Tensor}; the answer and the refusals are the same.
     */
    default ModelOutput predictMatrix(double[] values, int rows, int columns) {
        java.util.List<Object> boxed = new java.util.AbstractList<>() {
            @Override
            public Object get(int index) {
                return values[index];
            }

            @Override
            public int size() {
                return rows * columns;
            }
        };
        return predict(Tensors.of(new Tensor("input", TensorType.FP64, java.util.List.of((long) rows, (long) columns), boxed)));
    }

    /**
     * {@link #predictMatrix}'s answer with each output tensor's elements in a primitive array, for a caller that formats
     * millions of them (batch scoring): present when the runtime can give it so without boxing (ONNX Runtime, for a
     * graph of one float or double input of shape {@code [rows, columns]}); empty otherwise (the default), and the caller
     * asks {@link #predictMatrix}. The refusals are {@link #predict}'s.
     */
    default java.util.Optional<java.util.List<ArrayOutput>> predictMatrixArrays(double[] values, int rows, int columns) {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
