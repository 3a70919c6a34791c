package dev.atelier.api.mlmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The Python environment files MLflow saves beside a model ({@code mlflow/utils/environment.py}):
 * {@code requirements.txt} (one pip requirement a line), {@code python_env.yaml} (used by
 * {@code env_manager=virtualenv}) and {@code conda.yaml}. A model saved from Java writes them so that
 * Python's {@code mlflow.pyfunc.load_model} and {@code mlflow models serve} can load the flavors they
 * know (onnx, xgboost).
 *
 * @param pythonVersion such as {@code 3.11}
 * @param pipRequirements such as {@code mlflow}, {@code onnxruntime==1.19.2}
 */
public record PythonEnvironment(String pythonVersion, List<String> pipRequirements) {
    public static final String REQUIREMENTS = "requirements.txt";
    public static final String PYTHON_ENV = "python_env.yaml";
    public static final String CONDA = "conda.yaml";
    private static final List<String> BUILD_DEPENDENCIES = List.of("pip", "setuptools", "wheel");

    public PythonEnvironment {
        requireNonNull(pythonVersion, "pythonVersion is null");
        pipRequirements = List.copyOf(requireNonNull(pipRequirements, "pipRequirements is null"));
    }

    /** Writes the three files into {@code directory}. */
    public void writeTo(Path directory) {
        try {
            Files.writeString(directory.resolve(REQUIREMENTS), lines(pipRequirements), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(PYTHON_ENV), pythonEnvYaml(), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(CONDA), condaYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requirements of {@code directory/requirements.txt}, without comments and blank lines; empty when absent. */
    public static List<String> readRequirements(Path directory) {
        Path file = directory.resolve(REQUIREMENTS);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String pythonEnvYaml() {
        List<String> lines = new ArrayList<>();
        lines.add("python: " + pythonVersion);
        lines.add("build_dependencies:");
        BUILD_DEPENDENCIES.forEach(dependency -> lines.add("- " + dependency));
        lines.add("dependencies:");
        lines.add("- -r " + REQUIREMENTS);
        return lines(lines);
    }

    private String condaYaml() {
        List<String> lines = new ArrayList<>();
        lines.add("channels:");
        lines.add("- conda-forge");
        lines.add("dependencies:");
        lines.add("- python=" + pythonVersion);
        lines.add("- pip");
        lines.add("- pip:");
        pipRequirements.forEach(requirement -> lines.add("  - " + quoted(requirement)));
        lines.add("name: mlflow-env");
        return lines(lines);
    }

    /** A requirement such as {@code numpy<2} holds no YAML-special character at its start, but quote to be sure. */
    private static String quoted(String requirement) {
        return "'" + requirement.replace("'", "''") + "'";
    }

    private static String lines(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
