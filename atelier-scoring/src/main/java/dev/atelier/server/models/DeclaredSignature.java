package dev.atelier.server.models;

import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;

import java.util.List;
import java.util.Optional;

/** What an {@code MLmodel} signature declares, merged with what the native model describes. */
final class DeclaredSignature {
    private DeclaredSignature() {
    }

    /** The declared inputs and outputs where the model declares them, the native ones otherwise. */
    static ModelSignature merge(MlModel model, Schema nativeInputs, Schema nativeOutputs) {
        Optional<ModelSignature> declared = model.signature();
        return new ModelSignature(
                Optional.of(declared.flatMap(ModelSignature::inputs).orElse(nativeInputs)),
                Optional.of(declared.flatMap(ModelSignature::outputs).orElse(nativeOutputs)),
                declared.flatMap(ModelSignature::params));
    }

    /** The names of the declared input columns, in order; empty when the inputs are tensors, unnamed or undeclared. */
    static List<String> inputColumns(MlModel model) {
        Optional<Schema> inputs = model.signature().flatMap(ModelSignature::inputs);
        if (inputs.isEmpty() || inputs.get().isTensorBased()) {
            return List.of();
        }
        return inputs.get().specs().stream()
                .map(SchemaSpec::name)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Columns of type double with these names, not required (a missing feature is a zero or missing value). */
    static Schema doubleColumns(List<String> names) {
        return new Schema(names.stream()
                .<SchemaSpec>map(name -> new ColumnSpec(Optional.of(name), "double", false, java.util.Map.of()))
                .toList());
    }
}
