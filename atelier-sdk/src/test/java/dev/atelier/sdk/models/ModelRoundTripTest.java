package dev.atelier.sdk.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Credentials;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.Tensors;
import dev.atelier.server.models.TinyModels;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Java-native flavors end to end against a real server: train a tiny model, package and log it with
 * {@link ModelPackage}, register it with MLflow's registry API from {@code runs:/<run_id>/model},
 * download the registered version (get-download-uri and the artifact proxy), load it into a
 * {@link ModelRuntime} and get the predictions the model gave before it was saved.
 */
class ModelRoundTripTest {
    private static final ModelRuntimes RUNTIMES = ModelRuntimes.standard();

    private static TestServer server;
    private static AtelierClient client;
    private static String experimentId;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = AtelierClient.builder(server.url()).credentials(Credentials.NONE).build();
        experimentId = client.experiments().create("round-trips");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void tribuoLogisticRegressionRoundTrips() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        List<Prediction<Label>> expected = predictInMemory(model);
        model.serializeToFile(work.resolve("native.tribuo"));
        ModelSignature signature = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "double")),
                Schema.of(ColumnSpec.of("label", "string")));

        LoggedModel logged = ModelPackage.tribuo(work.resolve("native.tribuo"))
                .withSignature(signature)
                .withInputExample(TinyModels.FEATURES, List.of(List.of(0.1, 0.2)))
                .logTo(client, newRun(), "model");

        try (ModelRuntime runtime = RUNTIMES.load(downloadRegistered("tribuo-classifier", logged))) {
            assertThat(runtime.flavor()).isEqualTo("tribuo");
            assertThat(runtime.signature()).isEqualTo(signature);
            Table output = (Table) runtime.predict(TinyModels.probeTable());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(output.rows().get(i).get(0)).isEqualTo(expected.get(i).getOutput().getLabel());
                assertThat(output.rows().get(i).get(output.columns().indexOf("probability:yes")))
                        .isEqualTo(expected.get(i).getOutputScores().get("yes").getScore());
            }
        }
    }

    @Test
    void xgboostBoosterRoundTrips() throws Exception {
        Booster booster = TinyModels.xgboost();
        DMatrix probes = new DMatrix(TinyModels.probeFloats(), TinyModels.probes().size(), 2, Float.NaN);
        float[][] expected = booster.predict(probes);
        probes.dispose();
        booster.saveModel(work.resolve("native.ubj").toString());
        booster.dispose();

        LoggedModel logged = ModelPackage.xgboost(work.resolve("native.ubj"))
                .withSignature(ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "double")),
                        Schema.of(TensorSpec.of("predictions", "float32", -1))))
                .logTo(client, newRun(), "model");

        Path downloaded = downloadRegistered("xgboost-booster", logged);
        assertThat(downloaded.resolve("model.ubj")).exists();
        assertThat(downloaded.resolve("requirements.txt")).content().contains("xgboost");
        try (ModelRuntime runtime = RUNTIMES.load(downloaded)) {
            Tensor predictions = ((Tensors) runtime.predict(TinyModels.probeTable())).tensors().getFirst();
            for (int i = 0; i < expected.length; i++) {
                assertThat(predictions.values().get(i)).isEqualTo(expected[i][0]);
            }
        }
    }

    @Test
    void tribuoModelExportedToOnnxRoundTrips() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        List<Prediction<Label>> expected = predictInMemory(model);
        ((LinearSGDModel) model).saveONNXModel("dev.atelier.test", 1, work.resolve("native.onnx"));

        LoggedModel logged = ModelPackage.onnx(work.resolve("native.onnx")).logTo(client, newRun(), "classifier");

        assertThat(logged.modelUri()).isEqualTo("runs:/" + logged.runId() + "/classifier");
        JsonNode history = HttpJson.parse(client.runs().get(logged.runId()).data().tags().get("mlflow.log-model.history"));
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("artifact_path").asText()).isEqualTo("classifier");
        assertThat(history.get(0).path("flavors").path("onnx").path("data").asText()).isEqualTo("model.onnx");
        try (ModelRuntime runtime = RUNTIMES.load(downloadRegistered("onnx-classifier", logged))) {
            assertThat(runtime.flavor()).isEqualTo("onnx");
            String input = runtime.signature().inputs().orElseThrow().specs().getFirst().name().orElseThrow();
            Tensor probabilities = ((Tensors) runtime.predict(TinyModels.probeTensor(input))).tensors().getFirst();
            int yes = model.getOutputIDInfo().getID(new Label("yes"));
            for (int i = 0; i < expected.size(); i++) {
                assertThat(((Number) probabilities.values().get(2 * i + yes)).doubleValue())
                        .isCloseTo(expected.get(i).getOutputScores().get("yes").getScore(), within(1e-5));
            }
        }
    }

    @Test
    void downloadedModelsWhoseMlmodelDoesNotParseOrNamesAMissingFileAreRefused() throws Exception {
        Path unparsable = Files.createDirectories(work.resolve("unparsable"));
        Files.writeString(unparsable.resolve("MLmodel"), "flavors: {onnx: [\n");
        Path missing = Files.createDirectories(work.resolve("missing"));
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of("onnx", Map.of("data", "model.onnx")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of()), missing);
        String runId = newRun();
        String artifacts = client.runs().get(runId).info().artifactUri();
        client.artifacts().uploadDirectory(artifacts, "unparsable", unparsable);
        client.artifacts().uploadDirectory(artifacts, "missing", missing);

        assertThatThrownBy(() -> RUNTIMES.load(download(artifacts + "/unparsable")))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("MLmodel does not parse as YAML");
        assertThatThrownBy(() -> RUNTIMES.load(download(artifacts + "/missing")))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("MLmodel 'flavors.onnx.data' names 'model.onnx', which the model directory does not hold");
    }

    private static String newRun() {
        return client.runs().create(experimentId, "").runId();
    }

    /** Registers the logged model as a new registered model's version and downloads it through models:/. */
    private Path downloadRegistered(String name, LoggedModel logged) {
        dev.atelier.sdk.ModelVersion registered = client.models().register(name, logged.modelUri(), Optional.of(logged.runId()),
                Optional.empty(), Map.of());
        assertThat(registered.status()).isEqualTo("READY");
        Path target = work.resolve("registered-" + name);
        client.models().download("models:/" + name + "/" + registered.version(), target, dev.atelier.sdk.ModelDownload.Progress.NONE);
        return target;
    }

    private Path download(String artifactUri) throws AtelierException {
        Path target = work.resolve("downloaded-" + Math.abs(artifactUri.hashCode()));
        assertThat(client.artifacts().downloadDirectory(artifactUri, target)).contains(Path.of("MLmodel"));
        return target;
    }

    private static List<Prediction<Label>> predictInMemory(Model<Label> model) {
        return model.predict(TinyModels.probes().stream()
                .map(probe -> (org.tribuo.Example<Label>) new ArrayExample<>(LabelFactory.UNKNOWN_LABEL,
                        TinyModels.FEATURES.toArray(String[]::new), probe.clone()))
                .toList());
    }
}
