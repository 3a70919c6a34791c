package dev.atelier.server.models;

/**
 * What a model is asked to predict on: a {@link Table} (MLflow's {@code dataframe_split} and
 * {@code dataframe_records}) or named {@link Tensors} (MLflow's {@code instances}/{@code inputs},
 * the Open Inference Protocol's {@code inputs}).
 */
public sealed interface ModelInput permits Table, Tensors {
    /** The number of rows of the batch. */
    long batchSize();
}
