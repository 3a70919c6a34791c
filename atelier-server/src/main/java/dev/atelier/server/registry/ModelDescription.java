package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.api.mlmodel.MlModelYaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a model's {@code MLmodel} file says, as the registry checks and shows it (parsed by
 * {@link MlModelYaml}).
 *
 * @param referencedFiles files and folders its flavors, environments and input example name,
 *                        relative to the model's folder
 * @param flavors         flavor name to its configuration
 * @param signature       the signature as MLflow writes it ({@code inputs}, {@code outputs}, {@code params}
 *                        as JSON texts), when there is one
 */
public record ModelDescription(List<String> referencedFiles, Map<String, Object> flavors, Optional<Object> signature) {
    public ModelDescription {
        referencedFiles = List.copyOf(referencedFiles);
        flavors = Collections.unmodifiableMap(new LinkedHashMap<>(flavors));
        requireNonNull(signature, "signature is null");
    }

    /**
     * Parses an {@code MLmodel} file's text.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when it does not parse or names no flavor
     */
    static ModelDescription parse(String text) {
        MlModel model = MlModelYaml.parse(text);
        if (model.flavors().isEmpty()) {
            throw AtelierException.invalidParameter("MLmodel names no flavor");
        }
        List<String> files = MlModelDirectory.references(model).stream().map(MlModelDirectory.FileReference::path).toList();
        return new ModelDescription(files, new LinkedHashMap<>(model.flavors()),
                Optional.ofNullable(MlModelYaml.toMap(model).get("signature")));
    }
}
