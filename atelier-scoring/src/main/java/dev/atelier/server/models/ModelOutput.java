package dev.atelier.server.models;

/**
 * What a model answers: a {@link Table} (one row per input row; MLflow answers
 * {@code {"predictions": [{column: value}...]}}) or named {@link Tensors} (MLflow answers
 * {@code {"predictions": ...}}, the Open Inference Protocol {@code outputs}).
 */
public sealed interface ModelOutput permits Table, Tensors {
    /** The number of rows of the batch. */
    long batchSize();
}
