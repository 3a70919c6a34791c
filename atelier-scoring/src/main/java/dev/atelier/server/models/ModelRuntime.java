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

    @Override
    void close();
}
