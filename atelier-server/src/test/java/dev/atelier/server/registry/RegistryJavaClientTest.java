package dev.atelier.server.registry;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MLflow's own Java client ({@code org.mlflow:mlflow-client}), unmodified, reads versions created over raw HTTP. */
class RegistryJavaClientTest {
    private static final String API = "/api/2.0/mlflow/";
    private static TestServer server;
    private static MlflowClient client;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = new MlflowClient(server.url());
        http = new HttpJson(server.url());
        ModelFixture models = new ModelFixture(http);
        models.upload("1/run/artifacts/model/MLmodel", ModelFixture.MLMODEL);
        models.upload("1/run/artifacts/model/model.pkl", "weights");
        models.upload("1/run/artifacts/model/python_env.yaml", "python: 3.11\n");
        models.upload("1/run/artifacts/model2/model.onnx", "onnx bytes");
        http.post(API + "registered-models/create", Map.of("name", "java-model", "description", "from raw HTTP"));
        http.post(API + "model-versions/create", Map.of("name", "java-model", "source", "mlflow-artifacts:/1/run/artifacts/model",
                "run_id", "0123456789abcdef0123456789abcdef"));
        http.post(API + "model-versions/create", Map.of("name", "java-model", "source", "mlflow-artifacts:/1/run/artifacts/model2"));
        http.post(API + "model-versions/transition-stage",
                Map.of("name", "java-model", "version", "2", "stage", "Staging", "archive_existing_versions", false));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void registeredModelIsReadWithItsLatestVersions() {
        ModelRegistry.RegisteredModel model = client.getRegisteredModel("java-model");
        assertThat(model.getName()).isEqualTo("java-model");
        assertThat(model.getDescription()).isEqualTo("from raw HTTP");
        assertThat(model.getLatestVersionsList()).extracting(ModelRegistry.ModelVersion::getVersion).containsExactly("1", "2");
    }

    @Test
    void modelVersionIsReadWithStageAndRun() {
        ModelRegistry.ModelVersion version = client.getModelVersion("java-model", "1");
        assertThat(version.getCurrentStage()).isEqualTo("None");
        assertThat(version.getRunId()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(version.getStatus()).isEqualTo(ModelRegistry.ModelVersionStatus.READY);
    }

    @Test
    void latestVersionsAreFilteredByStage() {
        List<ModelRegistry.ModelVersion> staging = client.getLatestVersions("java-model", List.of("Staging"));
        assertThat(staging).extracting(ModelRegistry.ModelVersion::getVersion).containsExactly("2");
        assertThat(client.getLatestVersions("java-model")).hasSize(2);
    }

    @Test
    void versionsAreSearchedByName() {
        ModelVersionsPage page = client.searchModelVersions("name = 'java-model'");
        assertThat(page.getItems()).extracting(ModelRegistry.ModelVersion::getVersion).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void downloadUriIsTheRegistryCopyOfTheSource() {
        String uri = client.getModelVersionDownloadUri("java-model", "2");
        assertThat(uri).startsWith("mlflow-artifacts:/registry/");
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + uri.substring("mlflow-artifacts:/".length()) + "/model.onnx").text())
                .isEqualTo("onnx bytes");
        assertThat(client.getModelVersion("java-model", "2").getSource()).isEqualTo("mlflow-artifacts:/1/run/artifacts/model2");
    }

    @Test
    void unknownModelIsA404ForTheClient() {
        assertThatThrownBy(() -> client.getRegisteredModel("no-such-model"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }
}
