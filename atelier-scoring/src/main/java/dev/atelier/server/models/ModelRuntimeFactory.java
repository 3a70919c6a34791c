package dev.atelier.server.models;

import dev.atelier.api.mlmodel.MlModel;

import java.nio.file.Path;

/** Loads models of one flavor. Thread-safe. */
public interface ModelRuntimeFactory {
    /** The flavor name in {@code MLmodel}, such as {@code onnx}. */
    String flavor();

    /**
     * Loads the model of a validated model directory.
     *
     * @param model the parsed {@code MLmodel}, which has {@link #flavor()}
     * @throws dev.atelier.api.AtelierException {@code INVALID_PARAMETER_VALUE} when the model file
     *                                          cannot be loaded
     */
    ModelRuntime load(Path directory, MlModel model);
}
