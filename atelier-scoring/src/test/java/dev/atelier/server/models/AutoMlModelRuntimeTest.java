package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.server.models.automl.AutoMlModelFolder;
import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.ColumnTransform;
import dev.atelier.server.models.automl.Combination;
import dev.atelier.server.models.automl.Featurizer;
import dev.atelier.server.models.automl.Learner;
import dev.atelier.server.models.automl.Member;
import dev.atelier.server.models.automl.Scaler;
import dev.atelier.server.models.automl.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AutoMlModelRuntimeTest {
    @TempDir
    Path folder;

    /** size (numeric, scaled), color (one-hot); k = 1 over four points: the nearest point's class. */
    private static AutoMlPipeline pipeline() {
        Featurizer featurizer = new Featurizer(List.of(new ColumnTransform.Numeric("size", 2.0),
                new ColumnTransform.OneHot("color", List.of("red", "blue"))));
        double[][] points = {{0, 1, 0}, {1, 1, 0}, {10, 0, 1}, {11, 0, 1}};
        Scaler scaler = Scaler.fit(points);
        Learner knn = new Learner.NearestNeighbours(1, false, scaler.apply(points), new double[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}});
        return new AutoMlPipeline(Task.CLASSIFICATION,
                List.of(new AutoMlPipeline.InputColumn("size", "double"), new AutoMlPipeline.InputColumn("color", "string")),
                featurizer, List.of("small", "large"), Combination.Weighted.single(new Member("KNN", Optional.of(scaler), knn)));
    }

    @Test
    void aSavedPipelineLoadsThroughTheStandardRuntimesAndPredictsAsInMemory() throws IOException {
        AutoMlPipeline pipeline = pipeline();
        Table example = new Table(List.of("size", "color"), List.of(Arrays.asList(1.0, "red")));
        AutoMlModelRuntime.save(pipeline, folder, example, Optional.of("run1"));
        assertThat(MlModelYaml.read(folder.resolve("MLmodel")).flavors()).containsKey("atelier_automl");
        assertThat(folder.resolve("input_example.json")).content().contains("\"columns\":[\"size\",\"color\"]");

        Table input = new Table(List.of("color", "size", "extra"), List.of(
                Arrays.asList("red", 0.5, "ignored"), Arrays.asList("blue", 10, null), Arrays.asList(null, null, null)));
        try (ModelRuntime runtime = ModelRuntimes.standard().load(folder)) {
            assertThat(runtime.flavor()).isEqualTo("atelier_automl");
            Table answer = (Table) runtime.predict(input);
            assertThat(answer.columns()).containsExactly("label", "probability:small", "probability:large");
            assertThat(answer.rows()).extracting(row -> row.get(0)).containsExactly("small", "large", "small");
            assertThat(answer).isEqualTo(AutoMlModelRuntime.answer(pipeline, pipeline.predict(input.columns(), input.rows())));
            assertThat(runtime.signature().inputs().orElseThrow().specs()).extracting(spec -> spec.name().orElseThrow())
                    .containsExactly("size", "color");
            assertThatThrownBy(() -> runtime.predict(Tensors.of(new Tensor("input", TensorType.FP64, List.of(1L, 2L), List.of(1.0, 2.0)))))
                    .isInstanceOf(AtelierException.class).hasMessageContaining("table");
        }
    }

    @Test
    void aMatrixOfTheSignaturesColumnsIsAnsweredAsTheSameTable() throws IOException {
        Featurizer featurizer = new Featurizer(List.of(new ColumnTransform.Numeric("size", 2.0), new ColumnTransform.Numeric("weight", 0.0)));
        double[][] points = {{0, 0}, {1, 1}, {10, 10}, {11, 12}};
        Learner knn = new Learner.NearestNeighbours(1, false, points, new double[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}});
        AutoMlPipeline pipeline = new AutoMlPipeline(Task.CLASSIFICATION,
                List.of(new AutoMlPipeline.InputColumn("size", "double"), new AutoMlPipeline.InputColumn("weight", "double")),
                featurizer, List.of("small", "large"), Combination.Weighted.single(new Member("KNN", Optional.empty(), knn)));
        AutoMlModelRuntime.save(pipeline, folder, new Table(List.of("size", "weight"), List.of(List.of(1.0, 1.0))), Optional.empty());
        try (ModelRuntime runtime = ModelRuntimes.standard().load(folder)) {
            Table answer = (Table) runtime.predictMatrix(new double[] {0.5, 1, 10, Double.NaN, 10.5, 11}, 3, 2);
            Table expected = (Table) runtime.predict(new Table(List.of("weight", "size"), List.of(
                    List.of(1.0, 0.5), Arrays.asList(null, 10.0), List.of(11.0, 10.5))));
            assertThat(answer).isEqualTo(expected);
            assertThat(answer.rows()).extracting(row -> row.get(0)).containsExactly("small", "small", "large");
            assertThatThrownBy(() -> runtime.predictMatrix(new double[] {1, 2, 3}, 1, 3)).isInstanceOf(AtelierException.class)
                    .hasMessageContaining("[size, weight]");
        }
    }

    @Test
    void aModelOfAnotherFormatVersionIsRefused() throws IOException {
        AutoMlModelRuntime.save(pipeline(), folder, new Table(List.of("size"), List.of(List.of(1.0))), Optional.empty());
        Path file = folder.resolve(AutoMlModelFolder.PIPELINE_FILE);
        Files.writeString(file, Files.readString(file).replace("\"format_version\" : 1", "\"format_version\" : 99"));
        assertThatThrownBy(() -> ModelRuntimes.standard().load(folder)).isInstanceOf(AtelierException.class)
                .hasMessageContaining("format version");
    }
}
