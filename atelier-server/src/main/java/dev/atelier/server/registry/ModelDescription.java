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
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * What a model's {@code MLmodel} file says, as the registry checks and shows it (parsed by
 * {@link MlModelYaml}).
 *
 * @param referencedFiles files and folders its flavors, environments and input example name,
 *                        relative to the model's folder
 * @param environmentFiles those of them that describe an environment ({@code flavors.<f>.env}, {@code .env.conda},
 *                        {@code .env.virtualenv}: conda.yaml, python_env.yaml), which MLflow does not require
 * @param flavors         flavor name to its configuration
 * @param signature       the signature as MLflow writes it ({@code inputs}, {@code outputs}, {@code params}
 *                        as JSON texts), when there is one
 */
public record ModelDescription(List<String> referencedFiles, Set<String> environmentFiles, Map<String, Object> flavors,
                               Optional<Object> signature) {
    private static final Pattern ENVIRONMENT_KEY = Pattern.compile("flavors\\.[^.]+\\.env(\\.(conda|virtualenv))?");

    public ModelDescription {
        referencedFiles = List.copyOf(referencedFiles);
        environmentFiles = Set.copyOf(environmentFiles);
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
        List<MlModelDirectory.FileReference> references = MlModelDirectory.references(model);
        List<String> files = references.stream().map(MlModelDirectory.FileReference::path).toList();
        Set<String> environment = references.stream().filter(reference -> ENVIRONMENT_KEY.matcher(reference.key()).matches())
                .map(MlModelDirectory.FileReference::path).collect(java.util.stream.Collectors.toSet());
        return new ModelDescription(files, environment, new LinkedHashMap<>(model.flavors()),
                Optional.ofNullable(MlModelYaml.toMap(model).get("signature")));
    }
}
