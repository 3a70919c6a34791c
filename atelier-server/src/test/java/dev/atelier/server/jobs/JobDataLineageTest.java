package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs reading data assets and datastore paths and registering outputs as data assets, as real
 * child processes of a real server; the lineage API then answers from data to runs to models and back.
 */
class JobDataLineageTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CSV = "x,y\n1,2\n3,4\n";

    private final HttpJson http = server.http();
    private final JobsFixture jobs = new JobsFixture(http);

    @Test
    void jobConsumesDataRegistersOutputsAndLineageLeadsToTheModelRegisteredFromItsRun() {
        JsonNode churn = uploadFile("churn", "uri_file", "churn.csv", CSV);
        uploadFile("features", "uri_folder", "a.txt", "feature-a");
        String churnUri = "datastore://" + churn.path("datastore").asText() + "/" + churn.path("path").asText();

        JsonNode submitted = jobs.submit("""
                type: command
                name: train-on-data
                experiment_name: data-jobs
                command: >-
                  cp ${{inputs.train}} ${{outputs.model}}/train-copy.csv
                  && cat ${{inputs.features}}/a.txt > ${{outputs.model}}/features.txt
                  && wc -l < ${{inputs.raw}} | tr -d ' ' > ${{outputs.stats}}
                  && echo "direct=${{inputs.remote}}"
                inputs:
                  train: {type: uri_file, path: data:churn@latest}
                  features: {path: azureml:features:1, mode: download}
                  raw: {type: uri_file, path: %s}
                  remote: {path: data:churn:1, mode: direct}
                outputs:
                  model: {type: uri_folder, name: churn-model-files}
                  stats: {type: uri_file, name: churn-stats, version: "5"}
                """.formatted(churnUri));
        assertThat(submitted.path("spec").path("inputs").path("train").path("path").asText())
                .as("@latest is pinned at submission").isEqualTo("data:churn:1");

        JsonNode job = jobs.awaitEnded("train-on-data", WAIT);
        assertThat(job.path("status").asText()).as(job + "\n" + jobs.logLines("train-on-data")).isEqualTo("Completed");
        assertThat(jobs.logLines("train-on-data")).contains("direct=" + churnUri,
                "[atelier] Registered outputs.model as data:churn-model-files:1", "[atelier] Registered outputs.stats as data:churn-stats:5");
        String runId = job.path("run_id").asText();

        assertThat(http.get("/api/v1/data/churn-model-files/versions/1/files/train-copy.csv").text()).isEqualTo(CSV);
        assertThat(http.get("/api/v1/data/churn-model-files/versions/1/files/features.txt").text()).isEqualTo("feature-a");
        JsonNode stats = http.get("/api/v1/data/churn-stats/versions/5").json();
        assertThat(stats.path("type").asText()).isEqualTo("uri_file");
        assertThat(http.get("/api/v1/data/churn-stats/versions/5/files/stats").text()).isEqualTo("3\n");

        String artifactUri = jobs.run(runId).path("info").path("artifact_uri").asText();
        http.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "churn-model"));
        HttpJson.Response model = http.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "churn-model",
                "source", artifactUri + "/outputs/model", "run_id", runId));
        assertThat(model.status()).as(model.text()).isEqualTo(200);

        JsonNode trainedOn = http.get("/api/v1/lineage/models/churn-model/versions/1").json();
        assertThat(trainedOn.get("inputs")).extracting(use -> use.get("reference").asText() + "/" + use.get("source").asText())
                .containsExactlyInAnyOrder("data:churn:1/job:train-on-data", "data:features:1/job:train-on-data");

        JsonNode churnLineage = http.get("/api/v1/data/churn/versions/1/lineage").json();
        assertThat(churnLineage.get("runs")).extracting(use -> use.get("run_id").asText() + "/" + use.get("direction").asText())
                .containsExactly(runId + "/input");
        assertThat(churnLineage.get("models")).extracting(use -> use.get("name").asText() + ":" + use.get("version").asText())
                .containsExactly("churn-model:1");

        JsonNode run = http.get("/api/v1/lineage/runs/" + runId).json();
        assertThat(run.get("outputs")).extracting(use -> use.get("reference").asText())
                .containsExactlyInAnyOrder("data:churn-model-files:1", "data:churn-stats:5");
        JsonNode produced = http.get("/api/v1/data/churn-model-files/versions/1/lineage").json();
        assertThat(produced.get("runs")).extracting(use -> use.get("run_id").asText() + "/" + use.get("direction").asText())
                .containsExactly(runId + "/output");
    }

    @Test
    void badDataInputsAreRefusedBeforeAnythingRuns() {
        uploadFile("known", "uri_file", "known.csv", CSV);
        refused("unknown-asset", "inputs:\n  d: {type: uri_file, path: data:nope:1}\n", 404, "inputs.d.path", "data:nope:1");
        refused("unknown-version", "inputs:\n  d: {path: azureml:known:9}\n", 404, "inputs.d.path", "data:known:9");
        refused("bad-mode", "inputs:\n  d: {path: data:known:1, mode: ro_mount}\n", 400, "inputs.d.mode", "download or direct");
        refused("wrong-type", "inputs:\n  d: {type: uri_folder, path: data:known@latest}\n", 400, "inputs.d.path", "uri_file");
        refused("missing-path", "inputs:\n  d: {path: 'datastore://workspaceartifactstore/no/such/file'}\n", 400, "inputs.d.path",
                "nothing is there");
        refused("unknown-datastore", "inputs:\n  d: {path: 'datastore://lake/x.csv'}\n", 404, "inputs.d.path", "lake");
        refused("taken-version", "outputs:\n  o: {type: uri_folder, name: known, version: 1}\n", 400, "outputs.o.name", "known:1");
        HttpJson.Response sweep = jobs.submitYaml("""
                type: sweep
                name: sweep-output
                trial: {command: echo hello}
                outputs:
                  o: {type: uri_folder, name: per-trial}
                """);
        assertThat(sweep.status()).as(sweep.text()).isEqualTo(400);
        assertThat(sweep.json().path("message").asText()).contains("outputs.o.name", "command jobs");
        assertThat(http.get("/api/v1/data/known/versions").json().path("versions")).hasSize(1);
    }

    private void refused(String name, String yaml, int status, String... messageParts) {
        HttpJson.Response response = jobs.submitYaml("name: " + name + "\ncommand: echo hello\n" + yaml);
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("message").asText()).contains(messageParts);
        assertThat(http.get("/api/v1/jobs/" + name).status()).as("nothing queued for " + name).isEqualTo(404);
    }

    private JsonNode uploadFile(String asset, String type, String fileName, String content) {
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        assertThat(session.status()).as(session.text()).isEqualTo(201);
        String uploadId = session.json().path("upload_id").asText();
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                + "/files/" + fileName + "?offset=0")).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", asset, "type", type, "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }
}
