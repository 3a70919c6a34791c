package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scoring-script batch deployments over a real server: the script's {@code init()} / {@code run(mini_batch)} run by the
 * Python driver in sandboxed workloads on local compute, over a folder of files and over a CSV table, with
 * {@code append_row} and {@code summary_only}; a mini-batch that raises is retried then counted failed against
 * {@code error_threshold}; one that hangs is killed at the timeout and retried.
 */
class BatchScriptsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(120);
    @TempDir
    static Path scratch;
    private static ServingFixture serving;

    private final HttpJson http = server.http();
    private final BatchFixture batch = new BatchFixture(http);

    /**
     * Reads the model folder in init(); for each file (or row) answers its name, the number of lines (or x0 + x1) and
     * what it found in the model folder. A file named bad*.txt makes run() raise, one named hang*.txt makes it hang
     * on its first attempt only (a marker file in the working directory says it was tried).
     */
    private static final String SCRIPT = """
            import os, time, logging
            model_files = None
            def init():
                global model_files
                model_files = sorted(os.listdir(os.environ["AZUREML_MODEL_DIR"]))
                logging.info("init with %s", model_files)
            def run(mini_batch):
                if isinstance(mini_batch, list) and mini_batch and isinstance(mini_batch[0], dict):
                    return [{"x0": row["x0"], "sum": row["x0"] + row["x1"], "flag": os.environ.get("FLAG")} for row in mini_batch]
                results = []
                for path in mini_batch:
                    name = os.path.basename(path)
                    if name.startswith("bad"):
                        raise ValueError("cannot score " + name)
                    if name.startswith("hang"):
                        marker = name + ".tried"
                        if not os.path.exists(marker):
                            open(marker, "w").close()
                            time.sleep(600)
                    with open(path) as f:
                        results.append([name, len(f.read().splitlines()), "MLmodel" in model_files])
                return results
            """;

    @BeforeAll
    static void registerModelAndData() throws Exception {
        HttpJson http = server.http();
        serving = new ServingFixture(http, scratch);
        assertThat(serving.register("script-model", serving.onnxFolder())).isEqualTo("1");
        BatchFixture fixture = new BatchFixture(http);
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            files.put("f" + i + ".txt", "line\n".repeat(i + 1));
        }
        fixture.uploadFolder("texts", files);
        Map<String, String> bad = new LinkedHashMap<>(files);
        bad.put("bad1.txt", "x\n");
        bad.put("sub/bad2.txt", "y\n");
        fixture.uploadFolder("texts-with-bad", bad);
        fixture.uploadFolder("table", Map.of("points.csv", BatchFixture.points(25, 4)));
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        String uploadId = session.json().path("upload_id").asText();
        HttpJson.Response appended = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.baseUrl() + "/api/v1/data-uploads/"
                + uploadId + "/files/points.csv?offset=0")).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(BatchFixture.points(12, 5)))
                .build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response table = http.post("/api/v1/data", Map.of("name", "points-table", "type", "table", "upload_id", uploadId));
        assertThat(table.status()).as(table.text()).isEqualTo(201);
    }

    @Test
    void aTableDataAssetIsTabularInputWithOrWithoutInputTypeMltable() throws Exception {
        endpoint("table-asset", """
                mini_batch_size: 5
                output_file_name: scores.csv
                """);
        for (Map<String, Object> input : List.<Map<String, Object>>of(Map.of("path", "azureml:points-table:1"),
                Map.of("type", "mltable", "path", "azureml:points-table@latest"))) {
            JsonNode job = batch.invoke("table-asset", Map.of("input", input));
            JsonNode ended = batch.awaitEnded(job.path("name").asText(), WAIT);
            assertThat(ended.path("status").asText()).as(ended.toString() + batch.logLines(job.path("name").asText())).isEqualTo("Completed");
            assertThat(ended.path("result").path("rows").path("scored").asInt()).as(input.toString()).isEqualTo(12);
            assertThat(outputLines(ended).getFirst()).as("the script got rows, not a file path").isEqualTo("x0,sum,flag");
        }
    }

    private String endpoint(String name, String settings) throws Exception {
        String snapshot = serving.snapshot("score.py", SCRIPT);
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: " + name + "\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints/" + name + "/deployments", """
                name: script
                endpoint_name: %s
                type: model
                model: azureml:script-model:1
                code_configuration:
                  code: snapshot:%s
                  scoring_script: score.py
                compute: local
                resources:
                  instance_count: 2
                settings:
                  environment_variables: {FLAG: "on"}
                %s
                """.formatted(name, snapshot, settings.indent(2))));
        return name;
    }

    private List<String> outputLines(JsonNode job) {
        String reference = job.path("result").path("output").asText();
        assertThat(reference).as(job.toString()).startsWith("data:");
        String[] parts = reference.split(":");
        HttpJson.Response file = http.get("/api/v1/data/" + parts[1] + "/versions/" + parts[2] + "/files/" + "scores.csv");
        assertThat(file.status()).as(file.text()).isEqualTo(200);
        return file.text().lines().toList();
    }

    @Test
    void scriptScoresAFolderOfFilesInMiniBatchesAcrossInstances() throws Exception {
        endpoint("files", """
                mini_batch_size: 2
                max_concurrency_per_instance: 2
                output_file_name: scores.csv
                """);
        JsonNode job = batch.invoke("files", Map.of("input", Map.of("path", "azureml:texts@latest")));
        JsonNode ended = batch.awaitEnded(job.path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).as(ended.toString() + batch.logLines(job.path("name").asText())).isEqualTo("Completed");
        assertThat(ended.path("result").path("mini_batches").path("total").asInt()).isEqualTo(4);
        assertThat(ended.path("result").path("mini_batches").path("done").asInt()).isEqualTo(4);
        assertThat(ended.path("result").path("files").path("scored").asInt()).isEqualTo(7);
        List<String> lines = outputLines(ended);
        assertThat(lines.getFirst()).isEqualTo("prediction_0,prediction_1,prediction_2");
        assertThat(lines.subList(1, lines.size())).containsExactly("f0.txt,1,True", "f1.txt,2,True", "f2.txt,3,True", "f3.txt,4,True",
                "f4.txt,5,True", "f5.txt,6,True", "f6.txt,7,True");
        assertThat(batch.logLines(job.path("name").asText())).anyMatch(line -> line.contains("init with"));
    }

    @Test
    void scriptGetsRowsOfATableAndSummaryOnlyWritesNothing() throws Exception {
        endpoint("table", """
                mini_batch_size: 10
                output_file_name: scores.csv
                """);
        JsonNode job = batch.invoke("table", Map.of("input", Map.of("type", "mltable", "path", "azureml:table@latest")));
        JsonNode ended = batch.awaitEnded(job.path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).as(ended.toString() + batch.logLines(job.path("name").asText())).isEqualTo("Completed");
        assertThat(ended.path("result").path("mini_batches").path("total").asInt()).as("25 rows in tens").isEqualTo(3);
        assertThat(ended.path("result").path("rows").path("scored").asInt()).isEqualTo(25);
        List<String> lines = outputLines(ended);
        assertThat(lines.getFirst()).isEqualTo("x0,sum,flag");
        List<String> input = BatchFixture.points(25, 4).lines().skip(1).toList();
        assertThat(lines).hasSize(26);
        for (int i = 0; i < input.size(); i++) {
            String[] row = input.get(i).split(",");
            String[] scored = lines.get(i + 1).split(",");
            assertThat(Double.parseDouble(scored[0])).isEqualTo(Double.parseDouble(row[0]));
            assertThat(Double.parseDouble(scored[1])).isCloseTo(Double.parseDouble(row[0]) + Double.parseDouble(row[1]),
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(scored[2]).as("environment_variables reach the script").isEqualTo("on");
        }

        assertThat(http.send("PATCH", "/api/v1/batch-endpoints/table/deployments/script",
                Map.of("settings", Map.of("output_action", "summary_only"))).status()).isEqualTo(200);
        JsonNode summary = batch.awaitEnded(batch.invoke("table", Map.of("input", Map.of("type", "mltable", "path",
                "azureml:table@latest"), "output_name", "table-summary")).path("name").asText(), WAIT);
        assertThat(summary.path("status").asText()).as(summary.toString()).isEqualTo("Completed");
        assertThat(summary.path("result").path("rows").path("scored").asInt()).isEqualTo(25);
        assertThat(summary.path("result").has("output")).isFalse();
        assertThat(http.get("/api/v1/data/table-summary/versions/1").status()).isEqualTo(404);
    }

    @Test
    void aRaisingMiniBatchIsRetriedThenCountedAgainstTheErrorThreshold() throws Exception {
        endpoint("failing", """
                mini_batch_size: 1
                max_concurrency_per_instance: 2
                error_threshold: -1
                retry_settings: {max_retries: 2, timeout: 30}
                output_file_name: scores.csv
                """);
        JsonNode ignored = batch.awaitEnded(batch.invoke("failing", Map.of("input", Map.of("path", "azureml:texts-with-bad@latest")))
                .path("name").asText(), WAIT);
        assertThat(ignored.path("status").asText()).as("-1 ignores failures: " + ignored).isEqualTo("Completed");
        JsonNode result = ignored.path("result");
        assertThat(result.path("mini_batches").path("failed").asInt()).isEqualTo(2);
        assertThat(result.path("mini_batches").path("done").asInt()).isEqualTo(7);
        assertThat(result.path("mini_batches").path("retried").asInt()).as("two retries for each bad file").isEqualTo(4);
        assertThat(result.path("files").path("failed").asInt()).isEqualTo(2);
        assertThat(result.path("failures").toString()).contains("bad1.txt: ValueError: cannot score bad1.txt")
                .contains("sub/bad2.txt: ValueError: cannot score bad2.txt");
        assertThat(batch.logLines(ignored.path("name").asText())).anyMatch(line -> line.contains("bad1.txt failed (attempt 3 of 3)"));
        assertThat(outputLines(ignored)).hasSize(8);

        assertThat(http.send("PATCH", "/api/v1/batch-endpoints/failing/deployments/script", Map.of("settings", Map.of("error_threshold", 1,
                "mini_batch_size", 1, "retry_settings", Map.of("max_retries", 0, "timeout", 30)))).status()).isEqualTo(200);
        JsonNode failed = batch.awaitEnded(batch.invoke("failing", Map.of("input", Map.of("path", "azureml:texts-with-bad@latest"),
                "output_name", "failing-2")).path("name").asText(), WAIT);
        assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("Failed");
        assertThat(failed.path("reason").asText()).as(failed.toString()).contains("more than error_threshold 1");
        assertThat(http.get("/api/v1/data/failing-2/versions/1").status()).isEqualTo(404);
    }

    @Test
    void aHangingMiniBatchIsKilledAtTheTimeoutAndRetried() throws Exception {
        batch.uploadFolder("hanging", Map.of("a.txt", "1\n", "hang.txt", "1\n2\n"));
        endpoint("hanging", """
                mini_batch_size: 1
                retry_settings: {max_retries: 1, timeout: 2}
                output_file_name: scores.csv
                """);
        JsonNode ended = batch.awaitEnded(batch.invoke("hanging", Map.of("input", Map.of("path", "azureml:hanging@latest")))
                .path("name").asText(), WAIT);
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
        assertThat(ended.path("result").path("mini_batches").path("retried").asInt()).isEqualTo(1);
        assertThat(ended.path("result").path("mini_batches").path("failed").asInt()).isZero();
        assertThat(batch.logLines(ended.path("name").asText())).anyMatch(line -> line.contains("hang.txt failed (attempt 1 of 2)")
                && line.contains("did not finish within the timeout of 2 s"));
        assertThat(outputLines(ended)).contains("hang.txt,2,True");
    }
}
