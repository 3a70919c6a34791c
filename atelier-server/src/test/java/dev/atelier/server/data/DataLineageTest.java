package dev.atelier.server.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Data version → runs → model versions, and back, through recorded lineage and MLflow's logged datasets. */
class DataLineageTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    static final HttpJson http = server.http();
    static final DataClient data = new DataClient(http);

    @Test
    void answersWhichRunsAndModelsUsedADataVersionAndWhatAModelWasTrainedOn() {
        data.createUploaded("train", "uri_file", "train.csv", "x,y\n1,2\n");
        data.createUploaded("features", "uri_file", "features.bin", "f");
        String trainer = createRun();
        String mlflowRun = createRun();

        HttpJson.Response recorded = http.post("/api/v1/data/train/versions/1/lineage", Map.of("run_id", trainer, "direction", "input"));
        assertThat(recorded.status()).as(recorded.text()).isEqualTo(200);
        http.post("/api/v1/data/features/versions/latest/lineage", Map.of("run_id", trainer, "direction", "output", "source", "job:7"));
        HttpJson.Response logged = http.post("/api/2.0/mlflow/runs/log-inputs", Map.of("run_id", mlflowRun, "datasets", List.of(Map.of(
                "tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")),
                "dataset", Map.of("name", "train", "digest", "d1", "source_type", "local",
                        "source", "{\"uri\": \"data:train:1\"}")))));
        assertThat(logged.status()).as(logged.text()).isEqualTo(200);
        logModelFile(trainer, "MLmodel", "artifact_path: model\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n");
        logModelFile(trainer, "model.pkl", "weights");
        http.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "churn"));
        HttpJson.Response model = http.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "churn",
                "source", "mlflow-artifacts:/0/" + trainer + "/artifacts/model", "run_id", trainer));
        assertThat(model.status()).as(model.text()).isEqualTo(200);

        JsonNode version = http.get("/api/v1/data/train/versions/1/lineage").json();
        assertThat(version.get("runs")).extracting(use -> use.get("run_id").asText() + "/" + use.get("source").asText())
                .containsExactlyInAnyOrder(trainer + "/api", mlflowRun + "/mlflow");
        assertThat(version.get("models")).extracting(use -> use.get("name").asText() + ":" + use.get("version").asText())
                .containsExactly("churn:1");

        JsonNode trainedOn = http.get("/api/v1/lineage/models/churn/versions/1").json();
        assertThat(trainedOn.get("inputs")).extracting(use -> use.get("reference").asText()).containsExactly("data:train:1");

        JsonNode run = http.get("/api/v1/lineage/runs/" + trainer).json();
        assertThat(run.get("outputs")).extracting(use -> use.get("reference").asText() + "/" + use.get("source").asText())
                .containsExactly("data:features:1/job:7");
        JsonNode mlflowInputs = http.get("/api/v1/lineage/runs/" + mlflowRun).json().get("inputs");
        assertThat(mlflowInputs).extracting(use -> use.get("reference").asText()).containsExactly("data:train:1");
    }

    @Test
    void deletingAUsedVersionNeedsForceAndKeepsItsLineage() {
        data.createUploaded("used", "uri_file", "used.txt", "u");
        String run = createRun();
        http.post("/api/v1/data/used/versions/1/lineage", Map.of("run_id", run));
        HttpJson.Response refused = http.send("DELETE", "/api/v1/data/used/versions/1", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("INVALID_STATE");
        assertThat(http.send("DELETE", "/api/v1/data/used/versions/1?force=true", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/data/used/versions/1").status()).isEqualTo(404);
        JsonNode kept = http.get("/api/v1/data/used/versions/1/lineage").json();
        assertThat(kept.get("registered").asBoolean()).isFalse();
        assertThat(kept.get("runs")).extracting(use -> use.get("run_id").asText()).containsExactly(run);
        HttpJson.Response reused = data.create("used", "uri_file", data.upload("used.txt", "v"), null, Map.of("version", 1));
        assertThat(reused.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(data.createUploaded("used", "uri_file", "used.txt", "w").get("version").asInt()).isEqualTo(2);
    }

    @Test
    void recordingLineageForAnUnknownRunIsRefused() {
        data.createUploaded("orphan", "uri_file", "o.txt", "o");
        HttpJson.Response refused = http.post("/api/v1/data/orphan/versions/1/lineage", Map.of("run_id", "0123456789abcdef0123456789abcdef"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asText()).contains("run_id");
    }

    /** Logs a file of a small model as MLflow's client does, through the artifact proxy. */
    private static void logModelFile(String runId, String name, String content) {
        HttpJson.Response logged = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.baseUrl()
                        + "/api/2.0/mlflow-artifacts/artifacts/0/" + runId + "/artifacts/model/" + name))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(content)).build());
        assertThat(logged.status()).as(logged.text()).isEqualTo(200);
    }

    private static String createRun() {
        HttpJson.Response run = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", "0"));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        return run.json().get("run").get("info").get("run_id").asText();
    }
}
