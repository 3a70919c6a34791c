package dev.atelier.api.mlmodel;

import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model directory in MLflow's layout: an {@code MLmodel} file beside the files its flavors name.
 * {@link #validate} is what the registry runs before it accepts a model version. Thread-safe.
 */
public final class MlModelDirectory {
    /**
     * Flavor keys that name a file or folder of the model directory, across MLflow's flavors:
     * {@code data} (onnx, xgboost, lightgbm, keras, python_function...), {@code model_data} (pytorch,
     * spark), {@code pickled_model} (sklearn), {@code model_path} (python_function),
     * {@code python_model} (python_function models written in Python), {@code saved_model_dir}
     * (tensorflow), {@code code} (a folder of code, often null). A python_function's {@code artifacts}
     * name theirs under {@code artifacts.<name>.path}.
     */
    public static final List<String> FILE_KEYS =
            List.of("data", "model_data", "pickled_model", "model_path", "python_model", "saved_model_dir", "code");
    /** Keys of python_function's {@code env} mapping that name environment files. */
    private static final Set<String> ENVIRONMENT_KEYS = Set.of("conda", "virtualenv");

    private MlModelDirectory() {
    }

    /**
     * Parses {@code directory/MLmodel} and checks that the model names at least one flavor and that
     * every file its flavors, environment and input example name exists inside {@code directory}.
     *
     * @return the parsed model
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} naming the problem: no {@code MLmodel},
     *                          a file that does not parse, a missing file, a path leaving the directory
     */
    public static MlModel validate(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw AtelierException.invalidParameter("the model is not a directory holding an MLmodel file");
        }
        Path file = directory.resolve(MlModel.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw AtelierException.invalidParameter("the model directory has no MLmodel file");
        }
        MlModel model = MlModelYaml.read(file);
        if (model.flavors().isEmpty()) {
            throw AtelierException.invalidParameter("MLmodel names no flavor");
        }
        for (FileReference reference : references(model)) {
            requireInside(directory, reference);
        }
        return model;
    }

    /** A path the {@code MLmodel} file names, with the key that names it ({@code flavors.onnx.data}). */
    public record FileReference(String key, String path) {
    }

    /** Every file or folder the model names, in the order of the file. */
    public static List<FileReference> references(MlModel model) {
        List<FileReference> references = new ArrayList<>();
        model.flavors().forEach((flavor, config) -> {
            for (String key : FILE_KEYS) {
                addText(references, "flavors." + flavor + "." + key, config.get(key));
            }
            if (config.get("artifacts") instanceof Map<?, ?> artifacts) {
                artifacts.forEach((name, artifact) -> {
                    if (artifact instanceof Map<?, ?> details) {
                        addText(references, "flavors." + flavor + ".artifacts." + name + ".path", details.get("path"));
                    }
                });
            }
            Object environment = config.get("env");
            if (environment instanceof Map<?, ?> files) {
                files.forEach((key, value) -> {
                    if (ENVIRONMENT_KEYS.contains(String.valueOf(key))) {
                        addText(references, "flavors." + flavor + ".env." + key, value);
                    }
                });
            } else {
                addText(references, "flavors." + flavor + ".env", environment);
            }
        });
        model.savedInputExampleInfo().ifPresent(info -> {
            references.add(new FileReference("saved_input_example_info.artifact_path", info.artifactPath()));
            info.servingInputPath().ifPresent(path ->
                    references.add(new FileReference("saved_input_example_info." + InputExampleInfo.SERVING_INPUT_PATH, path)));
        });
        return references;
    }

    /**
     * The file a flavor key names, resolved inside {@code directory}.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the model lacks the flavor or key,
     *                          or the file is missing or outside the directory
     */
    public static Path flavorFile(Path directory, MlModel model, String flavor, String key) {
        String path = model.flavorText(flavor, key).orElseThrow(() -> AtelierException.invalidParameter(
                "MLmodel has no 'flavors." + flavor + "." + key + "'"));
        return requireInside(directory, new FileReference("flavors." + flavor + "." + key, path));
    }

    private static void addText(List<FileReference> references, String key, Object value) {
        if (value == null) {
            return;
        }
        if (!(value instanceof String path)) {
            throw AtelierException.invalidParameter("MLmodel '" + key + "' must be a relative path");
        }
        references.add(new FileReference(key, path));
    }

    private static Path requireInside(Path directory, FileReference reference) {
        String where = "MLmodel '" + reference.key() + "'";
        Path relative;
        try {
            relative = Path.of(reference.path());
        } catch (InvalidPathException e) {
            throw AtelierException.invalidParameter(where + " is not a valid path: '" + reference.path() + "'");
        }
        if (reference.path().isBlank() || relative.isAbsolute() || reference.path().startsWith("/")
                || relative.normalize().startsWith("..")) {
            throw AtelierException.invalidParameter(where + " must be a path inside the model directory, got '" + reference.path() + "'");
        }
        Path resolved = directory.resolve(relative).normalize();
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw AtelierException.invalidParameter(where + " names '" + reference.path() + "', which the model directory does not hold");
        }
        try {
            if (!resolved.toRealPath().startsWith(directory.toRealPath())) {
                throw AtelierException.invalidParameter(where + " names '" + reference.path() + "', a link leaving the model directory");
            }
        } catch (IOException e) {
            throw AtelierException.invalidParameter(where + " names '" + reference.path() + "', which cannot be read: " + e.getMessage());
        }
        return resolved;
    }
}
