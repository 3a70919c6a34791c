package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.Tensors;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Batch endpoints over a real server: a folder of CSV files scored by an ONNX model in mini-batches, the output
 * registered as a data asset equal to the model's predictions in this JVM row for row; summary_only; bad values
 * counted against error_threshold; bad requests refused before a job starts.
 */
class BatchEndpointsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir
    static Path scratch;
    private static Path onnx;

    private final HttpJson http = server.http();
    private final BatchFixture batch = new BatchFixture(http);

    @BeforeAll
    static void registerModelAndData() throws Exception {
        HttpJson http = server.http();
        ServingFixture models = new ServingFixture(http, scratch);
        onnx = models.onnxFolder();
        assertThat(models.register("points-onnx", onnx)).isEqualTo("1");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a.csv", BatchFixture.points(25, 1));
        files.put("b.csv", BatchFixture.points(40, 2));
        files.put("sub/c.csv", BatchFixture.points(7, 3));
        new BatchFixture(http).uploadFolder("points", files);
    }

    private void endpoint(String name, String deploymentSettings) {
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: " + name + "\ndescription: scores points\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints/" + name + "/deployments", """
                name: onnx
                endpoint_name: %s
                type: model
                model: azureml:points-onnx:1
                compute: local
                resources:
                  instance_count: 1
                settings:
                %s
                """.formatted(name, deploymentSettings.indent(2))));
    }

    @Test
    void onnxModelScoresEveryRowOfAFolderAsItPredictsInProcess() throws Exception {
        endpoint("points", """
                max_concurrency_per_instance: 2
                mini_batch_size: 10
                output_file_name: scored.csv
                """);
        JsonNode endpoint = http.get("/api/v1/batch-endpoints/points").json();
        assertThat(endpoint.path("defaults").path("deployment_name").asText()).as("the first deployment is the default").isEqualTo("onnx");

        JsonNode job = batch.invoke("points", Map.of("input", Map.of("type", "uri_folder", "path", "azureml:points@latest")));
        assertThat(job.path("type").asText()).isEqualTo("batch_scoring");
        JsonNode ended = batch.awaitEnded(job.path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).as(ended + "\n" + batch.logLines(job.path("name").asText())).isEqualTo("Completed");
        JsonNode result = ended.path("result");
        assertThat(result.path("mini_batches").path("total").asLong()).isEqualTo(3 + 4 + 1);
        assertThat(result.path("mini_batches").path("done").asLong()).isEqualTo(8);
        assertThat(result.path("rows").path("scored").asLong()).isEqualTo(72);
        assertThat(result.path("output").asText()).isEqualTo("data:points-predictions:1");

        String output = http.get("/api/v1/data/points-predictions/versions/1/files/scored.csv").text();
        List<String> lines = output.lines().toList();
        assertThat(lines.getFirst()).startsWith("file,row,");
        assertThat(lines).hasSize(73);
        try (ModelRuntime runtime = ModelRuntimes.standard().load(onnx)) {
            int line = 1;
            for (Map.Entry<String, Integer> file : Map.of("a.csv", 25, "b.csv", 40, "sub/c.csv", 7).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                int seed = file.getKey().equals("a.csv") ? 1 : file.getKey().equals("b.csv") ? 2 : 3;
                List<List<Double>> expected = inProcess(runtime, BatchFixture.points(file.getValue(), seed));
                for (int row = 0; row < file.getValue(); row++, line++) {
                    String[] cells = lines.get(line).split(",");
                    assertThat(cells[0]).isEqualTo(file.getKey());
                    assertThat(cells[1]).isEqualTo(String.valueOf(row));
                    assertThat(cells).hasSize(2 + expected.get(row).size());
                    for (int column = 0; column < expected.get(row).size(); column++) {
                        assertThat(Double.parseDouble(cells[2 + column])).as(lines.get(line)).isCloseTo(expected.get(row).get(column), within(1e-6));
                    }
                }
            }
        }

        JsonNode listed = http.get("/api/v1/jobs?type=batch_scoring").json();
        assertThat(listed.toString()).contains(job.path("name").asText());
        assertThat(http.get("/api/v1/batch-endpoints/points/jobs").json().path("jobs").get(0).path("name").asText())
                .isEqualTo(job.path("name").asText());
        JsonNode lineage = http.get("/api/v1/data/points-predictions/versions/1/lineage").json();
        assertThat(lineage.path("runs").toString()).contains(ended.path("run_id").asText()).contains("output");
        JsonNode run = http.get("/api/2.0/mlflow/runs/get?run_id=" + ended.path("run_id").asText()).json();
        assertThat(run.toString()).contains("atelier.batch.model").contains("points-onnx/1");
    }

    private static List<List<Double>> inProcess(ModelRuntime runtime, String csv) {
        List<List<Object>> rows = new ArrayList<>();
        csv.lines().skip(1).forEach(line -> {
            String[] cells = line.split(",");
            rows.add(List.of(Double.parseDouble(cells[0]), Double.parseDouble(cells[1])));
        });
        ModelOutput output = runtime.predict(new Table(List.of("x0", "x1"), rows));
        List<List<Double>> answer = new ArrayList<>();
        for (int row = 0; row < rows.size(); row++) {
            List<Double> values = new ArrayList<>();
            for (Tensor tensor : ((Tensors) output).tensors()) {
                int k = tensor.shape().size() == 1 ? 1 : Math.toIntExact(tensor.shape().get(1));
                for (int j = 0; j < k; j++) {
                    values.add(((Number) tensor.values().get(row * k + j)).doubleValue());
                }
            }
            answer.add(values);
        }
        return answer;
    }

    /**
     * A Parquet table (resources/data/iris.parquet: id int64, species text, petal_length double with a null, in_stock
     * bool) scored by an XGBoost model whose signature takes id and petal_length: the output equals the model's
     * predictions in this JVM, a null read as NaN.
     */
    @Test
    void parquetFilesAreScoredAsCsvFilesAre() throws Exception {
        Path model = new ServingFixture(http, scratch).xgboostFolder();
        Path mlmodel = model.resolve("MLmodel");
        java.nio.file.Files.writeString(mlmodel, java.nio.file.Files.readString(mlmodel).replace("\\\"x0\\\"", "\\\"id\\\"")
                .replace("\\\"x1\\\"", "\\\"petal_length\\\"").replace("\"x0\"", "\"id\"").replace("\"x1\"", "\"petal_length\""));
        assertThat(java.nio.file.Files.readString(mlmodel)).contains("petal_length");
        assertThat(new ServingFixture(http, scratch).register("iris-xgboost", model)).isEqualTo("1");
        byte[] iris;
        try (java.io.InputStream in = BatchEndpointsTest.class.getResourceAsStream("/data/iris.parquet")) {
            iris = in.readAllBytes();
        }
        batch.uploadBytes("iris-parquet", Map.of("iris.parquet", iris));
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: iris\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints/iris/deployments", "name: xgb\nmodel: azureml:iris-xgboost:1\n"
                + "settings: {mini_batch_size: 2}\n"));
        JsonNode ended = batch.awaitEnded(batch.invoke("iris", Map.of("input", Map.of("path", "azureml:iris-parquet@latest")))
                .path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
        assertThat(ended.path("result").path("rows").path("scored").asLong()).isEqualTo(5);
        assertThat(ended.path("result").path("mini_batches").path("total").asLong()).isEqualTo(3);
        List<String> lines = http.get("/api/v1/data/iris-predictions/versions/1/files/predictions.csv").text().lines().toList();
        assertThat(lines).hasSize(6);
        double[] values = {1, 1.4, 2, 1.3, 3, 5.1, 4, 4.5, 5, Double.NaN};
        try (ModelRuntime runtime = ModelRuntimes.standard().load(model)) {
            Tensor expected = ((Tensors) runtime.predictMatrix(values, 5, 2)).tensors().getFirst();
            for (int row = 0; row < 5; row++) {
                String[] cells = lines.get(row + 1).split(",");
                assertThat(cells[0]).isEqualTo("iris.parquet");
                assertThat(cells[1]).isEqualTo(String.valueOf(row));
                assertThat(Double.parseDouble(cells[2])).as(lines.get(row + 1))
                        .isCloseTo(((Number) expected.values().get(row)).doubleValue(), within(1e-6));
            }
        }
    }

    @Test
    void summaryOnlyRegistersNoOutput() {
        endpoint("points-summary", "output_action: summary_only\nmini_batch_size: 20\n");
        JsonNode job = batch.invoke("points-summary", Map.of("input", Map.of("path", "points:1"), "output_name", "never-written"));
        JsonNode ended = batch.awaitEnded(job.path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).isEqualTo("Completed");
        assertThat(ended.path("result").path("rows").path("scored").asLong()).isEqualTo(72);
        assertThat(ended.path("result").has("output")).isFalse();
        assertThat(http.get("/api/v1/data/never-written/versions/1").status()).isEqualTo(404);
    }

    @Test
    void badRowsFailTheirMiniBatchAndCountAgainstTheErrorThreshold() {
        batch.uploadFolder("points-bad", Map.of("good.csv", BatchFixture.points(30, 4), "bad.csv", "x0,x1\n1,2\nnot-a-number,3\n4,5\n",
                "wide.csv", "x0,x1,x2\n1,2,3\n4,5,6\n"));
        endpoint("points-tolerant", "mini_batch_size: 10\nerror_threshold: -1\nretry_settings:\n  max_retries: 2\n");
        JsonNode job = batch.invoke("points-tolerant", Map.of("input", Map.of("path", "azureml:points-bad:1")));
        JsonNode ended = batch.awaitEnded(job.path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).isEqualTo("Completed");
        // bad.csv's bad value is not tried again; the model refuses wide.csv's three columns on each of 1 + 2 attempts.
        assertThat(ended.path("result").path("mini_batches").path("failed").asLong()).isEqualTo(2);
        assertThat(ended.path("result").path("mini_batches").path("retried").asLong()).isEqualTo(2);
        assertThat(ended.path("result").path("rows").path("failed").asLong()).isEqualTo(5);
        assertThat(ended.path("result").path("failures").get(0).asText()).contains("bad.csv").contains("not-a-number");
        assertThat(ended.path("result").path("failures").get(1).asText()).contains("wide.csv");
        assertThat(batch.logLines(job.path("name").asText())).filteredOn(line -> line.contains("wide.csv") && line.contains("attempt"))
                .hasSize(3);
        String output = http.get("/api/v1/data/points-tolerant-predictions/versions/1/files/predictions.csv").text();
        assertThat(output.lines().skip(1)).hasSize(30).allMatch(line -> line.startsWith("good.csv,"));

        endpoint("points-strict", "mini_batch_size: 10\nerror_threshold: 2\n");
        JsonNode strict = batch.awaitEnded(batch.invoke("points-strict", Map.of("input", Map.of("path", "points-bad@latest")))
                .path("name").asText(), WAIT);
        assertThat(strict.path("status").asText()).isEqualTo("Failed");
        assertThat(strict.path("reason").asText()).contains("more than error_threshold 2");
    }

    @Test
    void badRequestsAreRefusedBeforeAJobStarts() {
        assertThat(batch.postYaml("/api/v1/batch-endpoints", "name: [unclosed\n").status()).isEqualTo(400);
        HttpJson.Response unknownField = batch.postYaml("/api/v1/batch-endpoints", "name: refused\ncolour: blue\n");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.text()).contains("colour");
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: refusals\n"));
        HttpJson.Response noDefault = http.post("/api/v1/batch-endpoints/refusals/invoke", Map.of("input", Map.of("path", "points:1")));
        assertThat(noDefault.status()).isEqualTo(400);
        assertThat(noDefault.text()).contains("default deployment");

        HttpJson.Response unknownModel = batch.postYaml("/api/v1/batch-endpoints/refusals/deployments",
                "name: d\nmodel: azureml:no-such-model:1\ncompute: local\n");
        assertThat(unknownModel.status()).as(unknownModel.text()).isEqualTo(404);
        HttpJson.Response unknownCompute = batch.postYaml("/api/v1/batch-endpoints/refusals/deployments",
                "name: d\nmodel: azureml:points-onnx:1\ncompute: no-such-compute\n");
        assertThat(unknownCompute.status()).as(unknownCompute.text()).isEqualTo(404);
        HttpJson.Response badSetting = batch.postYaml("/api/v1/batch-endpoints/refusals/deployments",
                "name: d\nmodel: azureml:points-onnx:1\nsettings:\n  output_action: print_it\n");
        assertThat(badSetting.status()).isEqualTo(400);
        assertThat(badSetting.text()).contains("settings.output_action");
        batch.created(batch.postYaml("/api/v1/batch-endpoints/refusals/deployments", "name: d\nmodel: models:/points-onnx/1\n"));

        HttpJson.Response missingInput = http.post("/api/v1/batch-endpoints/refusals/invoke", Map.of("input",
                Map.of("path", "azureml:no-such-data@latest")));
        assertThat(missingInput.status()).as(missingInput.text()).isEqualTo(404);
        HttpJson.Response noPath = http.post("/api/v1/batch-endpoints/refusals/invoke", Map.of());
        assertThat(noPath.status()).isEqualTo(400);
        assertThat(noPath.text()).contains("input.path");
        assertThat(http.get("/api/v1/batch-endpoints/refusals/jobs").json().path("jobs")).isEmpty();
    }
}
