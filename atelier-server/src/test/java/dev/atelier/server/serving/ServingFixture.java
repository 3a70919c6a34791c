package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.server.models.TinyModels;
import dev.atelier.server.testing.HttpJson;
import ml.dmlc.xgboost4j.java.Booster;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registers tiny models of each Java-native flavor (from {@link TinyModels}) through the MLflow API,
 * and creates endpoints and deployments through the native API, as a user would.
 */
public final class ServingFixture {
    static final String MLFLOW = "/api/2.0/mlflow/";
    private final HttpJson http;
    private final Path scratch;

    public ServingFixture(HttpJson http, Path scratch) {
        this.http = http;
        this.scratch = scratch;
    }

    /** Registers a new version of {@code name}: a Tribuo logistic regression exported to ONNX. */
    public String registerOnnx(String name) throws Exception {
        return register(name, onnxFolder());
    }

    /** A Tribuo logistic regression exported to ONNX, in the MLmodel layout. */
    public Path onnxFolder() throws Exception {
        Path folder = Files.createTempDirectory(scratch, "onnx");
        ((LinearSGDModel) TinyModels.tribuoLogistic()).saveONNXModel("dev.atelier.test", 1, folder.resolve("model.onnx"));
        writeMlModel(folder, "onnx", Map.of("data", "model.onnx"), Optional.empty());
        return folder;
    }

    /** Tribuo's logistic regression in the MLmodel layout. */
    Path tribuoFolder() throws Exception {
        Path folder = Files.createTempDirectory(scratch, "tribuo");
        Model<Label> model = TinyModels.tribuoLogistic();
        model.serializeToFile(folder.resolve("model.tribuo"));
        writeMlModel(folder, "tribuo", Map.of("data", "model.tribuo"), Optional.empty());
        return folder;
    }

    /** An XGBoost booster with a column signature x0, x1, in the MLmodel layout. */
    Path xgboostFolder() throws Exception {
        Path folder = Files.createTempDirectory(scratch, "xgboost");
        Booster booster = TinyModels.xgboost();
        booster.saveModel(folder.resolve("model.json").toString());
        ModelSignature columns = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "double")),
                Schema.of(new ColumnSpec(Optional.empty(), "double", true, Map.of())));
        writeMlModel(folder, "xgboost", Map.of("data", "model.json", "model_class", "xgboost.core.Booster"), Optional.of(columns));
        return folder;
    }

    private static void writeMlModel(Path folder, String flavor, Map<String, Object> config, Optional<ModelSignature> signature) {
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of(flavor, config), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), signature, Optional.empty(), Map.of()), folder);
    }

    /** Logs the folder's files to a new run and registers them; returns the new version number. */
    public String register(String name, Path folder) throws IOException {
        HttpJson.Response experiment = http.post(MLFLOW + "experiments/create", Map.of("name", "serving-" + name + "-" + System.nanoTime()));
        String runId = http.post(MLFLOW + "runs/create", Map.of("experiment_id", experiment.json().path("experiment_id").asText()))
                .json().at("/run/info/run_id").asText();
        String root = http.get(MLFLOW + "runs/get?run_id=" + runId).json().at("/run/info/artifact_uri").asText()
                .substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                HttpJson.Response uploaded = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl()
                                + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/" + file.getFileName()))
                        .PUT(HttpRequest.BodyPublishers.ofFile(file)).build());
                assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
            }
        }
        http.post(MLFLOW + "registered-models/create", Map.of("name", name));
        HttpJson.Response version = http.post(MLFLOW + "model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));
        assertThat(version.status()).as(version.text()).isEqualTo(200);
        return version.json().at("/model_version/version").asText();
    }

    /** Uploads one file as a code snapshot, as the CLI does for {@code code_configuration.code}; returns its id. */
    public String snapshot(String path, String content) throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        java.util.List<Map<String, Object>> manifest = java.util.List.of(Map.of("path", path, "sha256", sha, "size",
                content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(http.post("/api/v1/snapshots/missing-blobs", Map.of("files", manifest)).status()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/snapshots/blobs/" + sha))
                .PUT(HttpRequest.BodyPublishers.ofString(content, java.nio.charset.StandardCharsets.UTF_8)).build()).status()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/snapshots", Map.of("files", manifest));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json().path("snapshot_id").asText();
    }

    public JsonNode createEndpoint(String yaml) {
        HttpJson.Response response = postYaml("/api/v1/endpoints", yaml);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    public JsonNode createDeployment(String endpoint, String yaml) {
        HttpJson.Response response = postYaml("/api/v1/endpoints/" + endpoint + "/deployments", yaml);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    public HttpJson.Response postYaml(String path, String yaml) {
        return http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
    }

    /** Waits until the deployment's provisioning_state is final and returns the deployment. */
    public JsonNode awaitProvisioned(String endpoint, String deployment) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            JsonNode json = http.get("/api/v1/endpoints/" + endpoint + "/deployments/" + deployment).json();
            String state = json.path("provisioning_state").asText();
            if (state.equals("Succeeded") || state.equals("Failed") || Instant.now().isAfter(deadline)) {
                return json;
            }
            sleep();
        }
    }

    public String primaryKey(String endpoint) {
        return http.get("/api/v1/endpoints/" + endpoint + "/keys").json().path("primary_key").asText();
    }

    public HttpJson.Response score(String endpoint, String path, String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.baseUrl() + "/endpoints/" + endpoint + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build());
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
