package dev.atelier.server.serving.protocol;

/** The scoring protocols every endpoint speaks (docs/endpoints.md). */
public enum ScoringProtocol {
    /** Azure ML's {@code POST <base>/score}: {@code {"data": ...}} or the model's native JSON. */
    AZURE_SCORE,
    /** MLflow's {@code POST <base>/invocations}: dataframe_split, dataframe_records, instances, inputs, CSV. */
    MLFLOW_INVOCATIONS,
    /** The Open Inference Protocol v2's {@code POST <base>/v2/models/<name>/infer}. */
    OPEN_INFERENCE
}
