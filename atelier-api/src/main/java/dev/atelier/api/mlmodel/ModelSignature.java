package dev.atelier.api.mlmodel;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a model takes and returns (mlflow/models/signature.py). In the {@code MLmodel} file each part
 * is a JSON string: {@code inputs: '[{"type": "double", "name": "x", "required": true}]'}.
 */
public record ModelSignature(Optional<Schema> inputs, Optional<Schema> outputs, Optional<List<ParamSpec>> params) {
    public ModelSignature {
        requireNonNull(inputs, "inputs is null");
        requireNonNull(outputs, "outputs is null");
        params = requireNonNull(params, "params is null").map(List::copyOf);
    }

    public static ModelSignature of(Schema inputs, Schema outputs) {
        return new ModelSignature(Optional.of(inputs), Optional.of(outputs), Optional.empty());
    }
}
