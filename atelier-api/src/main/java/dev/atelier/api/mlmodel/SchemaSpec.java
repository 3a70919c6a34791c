package dev.atelier.api.mlmodel;

import java.util.Optional;

/**
 * One entry of a model signature's inputs or outputs: a column of a table or a tensor
 * (MLflow's {@code ColumnSpec} and {@code TensorSpec}, mlflow/types/schema.py).
 */
public sealed interface SchemaSpec permits ColumnSpec, TensorSpec {
    /** The name; MLflow allows unnamed specs when none of a schema's specs is named. */
    Optional<String> name();
}
