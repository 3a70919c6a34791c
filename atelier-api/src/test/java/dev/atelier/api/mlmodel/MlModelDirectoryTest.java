package dev.atelier.api.mlmodel;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlModelDirectoryTest {
    @TempDir
    Path directory;

    @Test
    void acceptsSklearnDirectoryAsMlflowWritesIt() throws IOException {
        write("MLmodel", MlModelYamlTest.resource("sklearn.MLmodel"));
        touch("model.pkl", "conda.yaml", "python_env.yaml", "requirements.txt", "input_example.json", "serving_input_example.json");

        MlModel model = MlModelDirectory.validate(directory);

        assertThat(model.flavors()).containsKeys("sklearn", "python_function");
        assertThat(MlModelDirectory.references(model)).extracting(MlModelDirectory.FileReference::key).containsExactly(
                "flavors.python_function.model_path", "flavors.python_function.env.conda", "flavors.python_function.env.virtualenv",
                "flavors.sklearn.pickled_model", "saved_input_example_info.artifact_path",
                "saved_input_example_info.serving_input_path");
    }

    @Test
    void acceptsOnnxAndXgboostAndPyfuncDirectories() throws IOException {
        write("MLmodel", MlModelYamlTest.resource("onnx.MLmodel"));
        touch("model.onnx", "conda.yaml", "python_env.yaml");
        assertThat(MlModelDirectory.flavorFile(directory, MlModelDirectory.validate(directory), "onnx", "data"))
                .isEqualTo(directory.resolve("model.onnx"));

        write("MLmodel", MlModelYamlTest.resource("xgboost.MLmodel"));
        touch("model.xgb");
        assertThat(MlModelDirectory.validate(directory).hasFlavor("xgboost")).isTrue();

        write("MLmodel", MlModelYamlTest.resource("pyfunc.MLmodel"));
        Files.createDirectories(directory.resolve("code"));
        Files.createDirectories(directory.resolve("artifacts"));
        touch("python_model.pkl", "artifacts/vocab.txt", "input_example.json", "serving_input_example.json");
        assertThat(MlModelDirectory.validate(directory).hasFlavor("python_function")).isTrue();
    }

    @Test
    void namesTheMissingFile() throws IOException {
        write("MLmodel", MlModelYamlTest.resource("onnx.MLmodel"));
        touch("conda.yaml", "python_env.yaml");

        assertInvalid("MLmodel 'flavors.onnx.data' names 'model.onnx', which the model directory does not hold");
    }

    @Test
    void namesTheMissingInputExample() throws IOException {
        write("MLmodel", MlModelYamlTest.resource("sklearn.MLmodel"));
        touch("model.pkl", "conda.yaml", "python_env.yaml", "input_example.json");

        assertInvalid("'saved_input_example_info.serving_input_path' names 'serving_input_example.json'");
    }

    @Test
    void refusesPathsLeavingTheDirectory() throws IOException {
        Path model = Files.createDirectories(directory.resolve("model"));
        Files.writeString(directory.resolve("secret.onnx"), "x");
        for (String path : List.of("../secret.onnx", "/etc/passwd", "a/../../secret.onnx", "")) {
            Files.writeString(model.resolve("MLmodel"), "flavors:\n  onnx:\n    data: '" + path + "'\n");
            assertThatThrownBy(() -> MlModelDirectory.validate(model)).as(path)
                    .isInstanceOf(AtelierException.class)
                    .hasMessageContaining("must be a path inside the model directory");
        }
    }

    @Test
    void refusesLinksLeavingTheDirectory() throws IOException {
        Path model = Files.createDirectories(directory.resolve("model"));
        Files.writeString(directory.resolve("secret.onnx"), "x");
        Files.createSymbolicLink(model.resolve("model.onnx"), directory.resolve("secret.onnx"));
        Files.writeString(model.resolve("MLmodel"), "flavors:\n  onnx:\n    data: model.onnx\n");

        assertThatThrownBy(() -> MlModelDirectory.validate(model)).hasMessageContaining("a link leaving the model directory");
    }

    @Test
    void refusesDirectoriesWithoutMlmodelOrFlavors() throws IOException {
        assertInvalid("has no MLmodel file");
        write("MLmodel", "flavors: {}\n");
        assertInvalid("names no flavor");
        write("MLmodel", "flavors:\n  onnx:\n    data: [model.onnx]\n");
        assertInvalid("'flavors.onnx.data' must be a relative path");
        write("MLmodel", "flavors:\n  onnx: {data: model.onnx\n");
        assertInvalid("does not parse as YAML");
        assertThatThrownBy(() -> MlModelDirectory.validate(directory.resolve("MLmodel"))).hasMessageContaining("not a directory");
    }

    @Test
    void writesPythonEnvironmentFiles() {
        new PythonEnvironment("3.11", List.of("mlflow", "onnxruntime==1.19.2")).writeTo(directory);

        assertThat(PythonEnvironment.readRequirements(directory)).containsExactly("mlflow", "onnxruntime==1.19.2");
        assertThat(directory.resolve(PythonEnvironment.PYTHON_ENV)).content().contains("python: 3.11", "- -r requirements.txt");
        assertThat(directory.resolve(PythonEnvironment.CONDA)).content().contains("- python=3.11", "  - 'onnxruntime==1.19.2'");
    }

    private void assertInvalid(String message) {
        assertThatThrownBy(() -> MlModelDirectory.validate(directory))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(message);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(directory.resolve(name), text);
    }

    private void touch(String... names) throws IOException {
        for (String name : names) {
            Files.writeString(directory.resolve(name), "content of " + name);
        }
    }
}
