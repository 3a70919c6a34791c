package dev.atelier.api.mlmodel;

import dev.atelier.api.AtelierException;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The inputs or the outputs of a signature: all columns or all tensors, all named or none named,
 * as MLflow's {@code Schema} requires.
 *
 * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when columns and tensors are mixed or
 *                          only some specs are named
 */
public record Schema(List<SchemaSpec> specs) {
    public Schema {
        specs = List.copyOf(requireNonNull(specs, "specs is null"));
        long tensors = specs.stream().filter(spec -> spec instanceof TensorSpec).count();
        if (tensors != 0 && tensors != specs.size()) {
            throw AtelierException.invalidParameter("a schema mixes column specs and tensor specs");
        }
        long named = specs.stream().filter(spec -> spec.name().isPresent()).count();
        if (named != 0 && named != specs.size()) {
            throw AtelierException.invalidParameter("a schema names some of its specs but not all");
        }
    }

    public static Schema of(SchemaSpec... specs) {
        return new Schema(List.of(specs));
    }

    /** Whether the specs are tensors (an empty schema counts as column-based). */
    public boolean isTensorBased() {
        return !specs.isEmpty() && specs.getFirst() instanceof TensorSpec;
    }
}
