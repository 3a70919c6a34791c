package dev.atelier.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.artifacts.S3Bucket;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.testing.S3ProxyServer;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docs/operations.md, "Backup and restore": a server filled with runs, artifacts, a registered model, a data asset and a
 * secret is backed up while it keeps logging, restored into a new data directory, and a server started there reads it
 * all back. The master key travels only when asked.
 */
class BackupRestoreTest {
    @TempDir
    Path temp;

    @Test
    void backupOfARunningServerRestoresIntoANewDataDirectory() throws Exception {
        Path original = temp.resolve("original");
        String runId;
        String experimentId;
        AtomicInteger logged = new AtomicInteger();
        try (TestServer server = TestServer.start(ServerConfig.forTests(original))) {
            HttpJson http = server.http();
            experimentId = ok(http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "churn"))).json()
                    .get("experiment_id").asText();
            runId = ok(http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "run_name", "train")))
                    .json().at("/run/info/run_id").asText();
            ok(http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId,
                    "params", List.of(Map.of("key", "learning_rate", "value", "0.1")),
                    "metrics", List.of(Map.of("key", "auc", "value", 0.91, "timestamp", 1, "step", 0)))));
            artifact(http, experimentId, runId, "model/MLmodel", """
                    artifact_path: model
                    flavors:
                      onnx:
                        data: model.onnx
                        onnx_version: 1.16.0
                      python_function:
                        loader_module: mlflow.onnx
                        data: model.onnx
                    """);
            artifact(http, experimentId, runId, "model/model.onnx", "weights");
            ok(http.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "churn-model")));
            ok(http.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "churn-model", "source", "runs:/" + runId + "/model",
                    "run_id", runId)));
            String upload = created(http.post("/api/v1/data-uploads", Map.of())).json().get("upload_id").asText();
            ok(http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + upload + "/files/rows.csv?offset=0"))
                    .PUT(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build()));
            created(http.post("/api/v1/data", Map.of("name", "customers", "type", "uri_file", "upload_id", upload)));
            created(http.post("/api/v1/secrets", Map.of("name", "warehouse-password", "value", "s3cr3t")));

            // Writes go on while the backup runs.
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    int step = logged.incrementAndGet();
                    ok(http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", runId, "key", "loss", "value", 1.0 / step,
                            "timestamp", step, "step", step)));
                }
            });
            JsonNode withoutKey;
            JsonNode withKey;
            try {
                withoutKey = ok(http.post("/api/v1/admin/backup", Map.of("to", temp.resolve("backup-no-key").toString()))).json();
                withKey = ok(http.post("/api/v1/admin/backup", Map.of("to", temp.resolve("backup").toString(),
                        "include_master_key", true))).json();
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(withoutKey.get("master_key").asText()).isEqualTo("not_included");
            assertThat(temp.resolve("backup-no-key/master.key")).doesNotExist();
            assertThat(withKey.get("master_key").asText()).isEqualTo("included");
            assertThat(withKey.get("database").asText()).isEqualTo("sqlite");
            assertThat(withKey.get("artifacts").asText()).isEqualTo("copied");
            assertThat(withKey.get("files").asLong()).isPositive();
            assertThat(temp.resolve("backup/master.key")).exists();

            // A folder that already holds something, a relative path and the data directory itself are refused.
            HttpJson.Response again = http.post("/api/v1/admin/backup", Map.of("to", temp.resolve("backup").toString()));
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.json().get("message").asText()).startsWith("to: ").contains("not empty");
            assertThat(http.post("/api/v1/admin/backup", Map.of("to", "relative/folder")).json().get("message").asText())
                    .contains("absolute");
            assertThat(http.post("/api/v1/admin/backup", Map.of("to", original.resolve("inside").toString())).json()
                    .get("message").asText()).contains("inside the server's data");
        }

        Path restored = temp.resolve("restored");
        List<String> notes = Restore.restore(temp.resolve("backup"), restored, Optional.empty(), Optional.empty());
        assertThat(notes).anyMatch(note -> note.startsWith("Restored the master key"));
        assertThatThrownBy(() -> Restore.restore(temp.resolve("backup"), restored, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        assertThat(Restore.restore(temp.resolve("backup-no-key"), temp.resolve("restored-no-key"), Optional.empty(), Optional.empty()))
                .anyMatch(note -> note.contains("holds no master key"));

        try (TestServer server = TestServer.start(ServerConfig.forTests(restored))) {
            HttpJson http = server.http();
            JsonNode run = ok(http.get("/api/2.0/mlflow/runs/get?run_id=" + runId)).json().get("run");
            assertThat(run.at("/data/params/0/value").asText()).isEqualTo("0.1");
            assertThat(run.at("/data/metrics").toString()).contains("\"auc\"").contains("0.91");
            JsonNode losses = ok(http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss")).json();
            // The copy is the database as of one moment: the points before it, without a gap.
            int points = losses.path("metrics").size();
            assertThat(points).isLessThanOrEqualTo(logged.get());
            for (JsonNode point : losses.path("metrics")) {
                assertThat(point.get("step").asInt()).isBetween(1, points);
            }
            assertThat(ok(http.get("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/model/model.onnx"))
                    .text()).isEqualTo("weights");
            JsonNode version = ok(http.get("/api/2.0/mlflow/model-versions/get?name=churn-model&version=1")).json().get("model_version");
            assertThat(version.get("run_id").asText()).isEqualTo(runId);
            HttpJson.Response data = ok(http.get("/api/v1/data/customers/versions/1/files/rows.csv"));
            assertThat(data.text()).isEqualTo("a,b\n1,2\n");
            assertThat(ok(http.get("/api/v1/secrets/warehouse-password/value")).json().get("value").asText()).isEqualTo("s3cr3t");
        }
        assertThat(Files.readString(temp.resolve("backup/manifest.json"), StandardCharsets.UTF_8)).contains("\"created_at\"");
    }

    @Test
    void withArtifactsInS3TheBackupGoesToAnS3PrefixAndReferencesThem() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            S3Settings artifacts = s3.createBucket("artifacts", "atelier");
            s3.createBucket("backups", "");
            try (TestServer server = TestServer.start(ServerConfig.forTests(temp.resolve("data")).withArtifactsS3(artifacts))) {
                HttpJson http = server.http();
                created(http.post("/api/v1/secrets", Map.of("name", "kept", "value", "v")));
                JsonNode manifest = ok(http.post("/api/v1/admin/backup", Map.of("to", "s3://backups/nightly/1"))).json();
                assertThat(manifest.get("artifacts").asText()).isEqualTo("s3://artifacts/atelier");
                assertThat(manifest.get("master_key").asText()).isEqualTo("not_included");
                assertThat(http.post("/api/v1/admin/backup", Map.of("to", "s3://artifacts/atelier/backup")).json().get("message")
                        .asText()).contains("inside the artifact store");
                assertThat(http.post("/api/v1/admin/backup", Map.of("to", "s3://backups/nightly/1")).json().get("message")
                        .asText()).contains("already holds objects");
            }
            try (S3Bucket backups = s3.open("backups", "nightly/1")) {
                assertThat(backups.exists("atelier.db")).isTrue();
                assertThat(backups.exists("manifest.json")).isTrue();
                assertThat(backups.exists("master.key")).isFalse();
            }
        }
    }

    private static void artifact(HttpJson http, String experimentId, String runId, String path, String content) {
        ok(http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/"
                        + runId + "/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)).header("Content-Type", "application/octet-stream").build()));
    }

    private static HttpJson.Response ok(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }

    private static HttpJson.Response created(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response;
    }
}
