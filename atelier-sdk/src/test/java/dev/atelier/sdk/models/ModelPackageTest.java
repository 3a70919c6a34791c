package dev.atelier.sdk.models;

import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folders {@link ModelPackage#saveTo} writes, in the shapes MLflow's Python flavors write. */
class ModelPackageTest {
    @TempDir
    Path work;

    @Test
    void onnxPackageHasThePythonFunctionFlavorAndEnvironmentFiles() throws Exception {
        Path file = Files.writeString(work.resolve("exported.onnx"), "onnx bytes");

        MlModel model = ModelPackage.onnx(file).saveTo(work.resolve("model"));

        Path folder = work.resolve("model");
        assertThat(folder.resolve("model.onnx")).hasContent("onnx bytes");
        assertThat(model.flavorText("onnx", "data")).contains("model.onnx");
        assertThat(model.flavorText("python_function", "loader_module")).contains("mlflow.onnx");
        assertThat(model.flavorText("python_function", "data")).contains("model.onnx");
        assertThat(folder.resolve("requirements.txt")).content().contains("onnxruntime");
        assertThat(folder.resolve("python_env.yaml")).exists();
        assertThat(folder.resolve("conda.yaml")).exists();
        assertThat(model.modelUuid().orElseThrow()).hasSize(32).doesNotContain("-");
        assertThat(model.utcTimeCreated().orElseThrow()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(model.runId()).isEmpty();
        assertThat(MlModelYaml.read(folder.resolve("MLmodel"))).isEqualTo(model);
    }

    @Test
    void xgboostPackageNamesTheFormatByTheFileExtension() throws Exception {
        Path json = Files.writeString(work.resolve("booster.json"), "{}");
        Path legacy = Files.writeString(work.resolve("booster.bin"), "binary");

        MlModel fromJson = ModelPackage.xgboost(json).withFlavorValue("model_class", "xgboost.sklearn.XGBClassifier")
                .saveTo(work.resolve("json"));
        MlModel fromBinary = ModelPackage.xgboost(legacy).saveTo(work.resolve("binary"));

        assertThat(fromJson.flavor("xgboost").orElseThrow())
                .containsEntry("data", "model.json").containsEntry("model_format", "json")
                .containsEntry("model_class", "xgboost.sklearn.XGBClassifier");
        assertThat(fromJson.flavorText("python_function", "loader_module")).contains("mlflow.xgboost");
        assertThat(fromBinary.flavorText("xgboost", "data")).contains("model.xgb");
        assertThat(work.resolve("binary/model.xgb")).hasContent("binary");
        Path other = Files.writeString(work.resolve("booster.txt"), "x");
        assertThatThrownBy(() -> ModelPackage.xgboost(other)).hasMessageContaining("ends in .json, .ubj or .xgb");
    }

    @Test
    void tribuoPackageIsJavaOnlyAndKeepsSignatureAndInputExample() throws Exception {
        Path file = Files.writeString(work.resolve("model.bin"), "protobuf");
        ModelSignature signature = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double")), Schema.of(ColumnSpec.of("label", "string")));

        MlModel model = ModelPackage.tribuo(file).withSignature(signature)
                .withInputExample(List.of("x0"), List.of(List.of(0.5)))
                .saveTo(work.resolve("model"));

        Path folder = work.resolve("model");
        assertThat(model.flavors()).containsOnlyKeys("tribuo");
        assertThat(model.flavor("tribuo").orElseThrow()).containsEntry("data", "model.tribuo").containsEntry("serialization_format", "protobuf");
        assertThat(folder.resolve("requirements.txt")).doesNotExist();
        assertThat(model.signature()).contains(signature);
        assertThat(model.savedInputExampleInfo().orElseThrow().other()).containsEntry("pandas_orient", "split");
        assertThat(folder.resolve("input_example.json")).hasContent("{\"columns\":[\"x0\"],\"data\":[[0.5]]}");
        assertThat(folder.resolve("serving_input_example.json")).hasContent("{\"dataframe_split\":{\"columns\":[\"x0\"],\"data\":[[0.5]]}}");
        assertThat(model.other()).containsKey("model_size_bytes");
    }

    @Test
    void refusesAFolderThatIsNotEmptyAndAMissingModelFile() throws Exception {
        Path file = Files.writeString(work.resolve("model.onnx"), "x");
        Files.createDirectories(work.resolve("taken"));
        Files.writeString(work.resolve("taken/other.txt"), "x");

        assertThatThrownBy(() -> ModelPackage.onnx(file).saveTo(work.resolve("taken"))).hasMessageContaining("is not empty");
        assertThatThrownBy(() -> ModelPackage.onnx(work.resolve("absent.onnx"))).hasMessageContaining("no model file at");
        assertThatThrownBy(() -> ModelPackage.onnx(file).withInputExample(List.of("a", "b"), List.of(List.of(1))))
                .hasMessageContaining("1 values for 2 columns");
        assertThatThrownBy(() -> ModelPackage.onnx(file).withFlavorValue("data", "elsewhere.onnx"))
                .hasMessageContaining("chosen by the package");
    }
}
