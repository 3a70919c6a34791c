package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk under the SQLite default, for real: the server runs as a child process whose data directory is an 8 MiB
 * tmpfs (mounted in a mount namespace of its own, {@code unshare -rm}). Filled with artifacts, it answers 507
 * {@code INSUFFICIENT_STORAGE} to artifact uploads and to database writes, keeps answering reads (the database is intact),
 * and once artifacts are deleted, takes writes again.
 */
class DiskFullTest {
    private static final byte[] MEGABYTE = new byte[1024 * 1024];

    @TempDir
    Path temp;

    @Test
    void aFullDiskAnswers507KeepsTheDatabaseReadableAndRecoversWhenSpaceReturns() throws Exception {
        RequiredTool.require(unshareWorks(), "unshare -rm (util-linux, user namespaces) to mount a small tmpfs");
        Path mount = temp.resolve("small");
        java.nio.file.Files.createDirectories(mount);
        List<String> smallDisk = List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=8m tmpfs \"$0\" && exec \"$@\"",
                mount.toString());
        HttpClient client = HttpClient.newHttpClient();
        try (ServerProcess server = ServerProcess.startWrapped(smallDisk, mount.resolve("data"), temp.resolve("server.log"));
             MlflowRest mlflow = new MlflowRest(server.url())) {
            String experimentId = mlflow.postOk("/api/2.0/mlflow/experiments/create", "{\"name\": \"full\"}")
                    .path("experiment_id").asText();
            String runId = mlflow.createRun(experimentId, "filling");
            mlflow.postOk("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": \"" + runId
                    + "\", \"params\": [{\"key\": \"kept\", \"value\": \"yes\"}]}");
            String artifacts = server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/";

            List<String> stored = new ArrayList<>();
            HttpResponse<String> full = null;
            for (int i = 0; i < 16 && full == null; i++) {
                HttpResponse<String> put = client.send(HttpRequest.newBuilder(URI.create(artifacts + "fill-" + i + ".bin"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(MEGABYTE)).build(), HttpResponse.BodyHandlers.ofString());
                if (put.statusCode() == 200) {
                    stored.add("fill-" + i + ".bin");
                } else {
                    full = put;
                }
            }
            assertThat(full).as("an upload past 8 MiB is refused").isNotNull();
            assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
            assertThat(MlflowRest.JSON.readTree(full.body()).path("error_code").asText()).isEqualTo("INSUFFICIENT_STORAGE");
            assertThat(full.body()).contains("disk is full");

            // database writes on the full disk: 507 too (never a 500), nothing of them kept
            MlflowRest.Answer refused = null;
            for (int batch = 0; batch < 200 && refused == null; batch++) {
                MlflowRest.Answer answer = mlflow.post("/api/2.0/mlflow/runs/log-batch", metrics(runId, batch));
                if (answer.status() != 200) {
                    refused = answer;
                }
            }
            assertThat(refused).as("database writes fail once the disk is full").isNotNull();
            assertThat(refused.status()).as(refused.body().toString()).isEqualTo(507);
            assertThat(refused.body().path("error_code").asText()).isEqualTo("INSUFFICIENT_STORAGE");

            // reads go on: the database is intact
            JsonNode run = mlflow.getOk("/api/2.0/mlflow/runs/get?run_id=" + runId).path("run");
            assertThat(run.at("/data/params/0/value").asText()).isEqualTo("yes");

            // space returns: writes work again
            for (String name : stored) {
                assertThat(client.send(HttpRequest.newBuilder(URI.create(artifacts + name)).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            mlflow.postOk("/api/2.0/mlflow/runs/log-batch", metrics(runId, 100_000));
            assertThat(client.send(HttpRequest.newBuilder(URI.create(artifacts + "after.bin"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(MEGABYTE)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(mlflow.getOk("/api/2.0/mlflow/runs/get?run_id=" + runId).path("run").at("/data/params/0/value").asText())
                    .isEqualTo("yes");
        }
    }

    /** 1000 metrics with long keys: about 100 KiB of rows. */
    private static String metrics(String runId, int batch) {
        StringBuilder json = new StringBuilder("{\"run_id\": \"" + runId + "\", \"metrics\": [");
        for (int i = 0; i < 1000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"key\": \"metric-").append("k".repeat(60)).append('-').append(i)
                    .append("\", \"value\": ").append(i).append(", \"timestamp\": ").append(batch).append(", \"step\": ")
                    .append(batch).append('}');
        }
        return json.append("]}").toString();
    }

    private static boolean unshareWorks() {
        try {
            Process probe = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
