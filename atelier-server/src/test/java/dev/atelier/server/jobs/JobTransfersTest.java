package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.compute.kubernetes.PodScripts;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes a job's pod calls: its outputs archive is stored into the run's artifacts, its
 * download-mode data inputs are served as zips, and what could escape, is corrupt, or comes when the
 * job does not run is refused with a 4xx. A real server runs a real (sleeping) local job.
 */
class JobTransfersTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final HttpJson http = server.http();
    private final JobsFixture jobs = new JobsFixture(http);

    @BeforeAll
    static void startSleepingJob() {
        HttpJson http = server.http();
        JobsFixture jobs = new JobsFixture(http);
        uploadFile(http, "features", "uri_folder", "a.txt", "feature-a");
        uploadFile(http, "labels", "uri_file", "labels.csv", "y\n1\n");
        jobs.submit("""
                name: transfer-target
                command: sleep 120
                inputs:
                  features: {path: data:features:1, mode: download}
                  labels: {type: uri_file, path: data:labels:1}
                  remote: {path: data:features:1, mode: direct}
                  rate: 0.5
                """);
        jobs.awaitStatus("transfer-target", "Running", WAIT);
    }

    @AfterAll
    static void cancel() {
        server.http().post("/api/v1/jobs/transfer-target/cancel", Map.of());
    }

    @Test
    void outputsWithAPathAreStoredThereToo() throws IOException {
        String reader = """
                name: %s
                command: ls ${{inputs.model}}
                inputs:
                  model: {type: uri_folder, path: datastore://workspaceartifactstore/transfers/model}
                """;
        assertThat(jobs.submitYaml(reader.formatted("reads-too-early")).status()).isEqualTo(400);
        jobs.submit("""
                name: transfer-with-path
                command: sleep 120
                outputs:
                  model: {type: uri_folder, path: datastore://workspaceartifactstore/transfers/model}
                """);
        jobs.awaitStatus("transfer-with-path", "Running", WAIT);
        try {
            HttpJson.Response stored = postOutputs("transfer-with-path", tarGz(Map.of("./model/w.txt", "weights"), Map.of()),
                    "application/gzip");
            assertThat(stored.status()).as(stored.text()).isEqualTo(200);
            HttpJson.Response read = jobs.submitYaml(reader.formatted("reads-after"));
            assertThat(read.status()).as(read.text()).isEqualTo(200);
        } finally {
            http.post("/api/v1/jobs/transfer-with-path/cancel", Map.of());
            http.post("/api/v1/jobs/reads-after/cancel", Map.of());
        }
    }

    @Test
    void outputsArchiveIsStoredUnderTheRunsOutputs() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./model.txt", "weights");
        files.put("./nested/deeper/metrics.json", "{\"auc\": 0.9}");
        HttpJson.Response stored = postOutputs("transfer-target", tarGz(files, Map.of("./nested/alias", "../model.txt")), "application/gzip");
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        assertThat(stored.json().path("files")).extracting(JsonNode::asText).containsExactly("model.txt", "nested/deeper/metrics.json");

        String root = ArtifactRoot.of(jobs.run(jobs.job("transfer-target").path("run_id").asText()).path("info").path("artifact_uri")
                .asText()).orElseThrow();
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/outputs/model.txt").text()).isEqualTo("weights");
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/outputs/nested/deeper/metrics.json").text())
                .isEqualTo("{\"auc\": 0.9}");
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/outputs/nested/alias").status())
                .as("a link inside the folder is skipped, as locally").isEqualTo(404);
    }

    @Test
    void podScriptsFetchADownloadInputAndSendTheOutputsThroughTheseRoutes(@TempDir Path pod) throws Exception {
        String jobUrl = http.baseUrl() + "/api/v1/jobs/transfer-target";
        Path tools = pod.resolve("tools");
        assertThat(runInPod(PodScripts.fetchCommand(List.of(new PodScripts.Fetch(jobUrl + "/inputs/features/zip",
                pod + "/inputs/features")), tools.toString()), pod)).isZero();
        assertThat(Files.readString(pod.resolve("inputs/features/a.txt"))).isEqualTo("feature-a");

        assertThat(runInPod(PodScripts.mainCommand("mkdir -p outputs && cp inputs/features/a.txt outputs/from-pod.txt && printf"
                + " '\\000\\001binary' > outputs/raw.bin", pod.resolve("outputs").toString(), jobUrl + "/outputs", tools.toString()),
                pod)).isZero();
        String root = ArtifactRoot.of(jobs.run(jobs.job("transfer-target").path("run_id").asText()).path("info").path("artifact_uri")
                .asText()).orElseThrow();
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/outputs/from-pod.txt").text()).isEqualTo("feature-a");
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/outputs/raw.bin").text()).isEqualTo("\0\1binary");
    }

    private static int runInPod(List<String> command, Path directory) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("MLFLOW_TRACKING_TOKEN");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @Test
    void archivesThatLeaveTheFolderOrAreCorruptAreRefused() throws IOException {
        refusedOutputs(tarGz(Map.of("../escape.txt", "x"), Map.of()), "application/gzip", 400, "leaves the outputs folder");
        refusedOutputs(tarGz(Map.of("/etc/escape.txt", "x"), Map.of()), "application/gzip", 400, "not a relative path");
        refusedOutputs(tarGz(Map.of(), Map.of("./out", "../../etc/passwd")), "application/gzip", 400, "points outside");
        refusedOutputs(tarGz(Map.of(), Map.of("./abs", "/etc/passwd")), "application/gzip", 400, "points outside");
        refusedOutputs("not a gzip".getBytes(StandardCharsets.UTF_8), "application/gzip", 400, "Invalid outputs archive");
        refusedOutputs(tarGz(Map.of("a.txt", "x"), Map.of()), "application/json", 415, "gzip'd tar");
        HttpJson.Response unknown = postOutputs("no-such-job", tarGz(Map.of("a.txt", "x"), Map.of()), "application/gzip");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void downloadInputIsServedAsAZip() throws IOException, InterruptedException {
        assertThat(inputZip("transfer-target", "features")).containsExactly(Map.entry("a.txt", "feature-a"));
        assertThat(inputZip("transfer-target", "labels")).containsExactly(Map.entry("labels.csv", "y\n1\n"));
    }

    @Test
    void inputsThatAreNotDownloadDataInputsAreRefused() {
        assertThat(http.get("/api/v1/jobs/transfer-target/inputs/missing/zip").status()).isEqualTo(404);
        HttpJson.Response direct = http.get("/api/v1/jobs/transfer-target/inputs/remote/zip");
        assertThat(direct.status()).isEqualTo(400);
        assertThat(direct.json().path("message").asText()).contains("download mode");
        assertThat(http.get("/api/v1/jobs/transfer-target/inputs/rate/zip").status()).isEqualTo(400);
    }

    @Test
    void anEndedJobTakesNoOutputsAndServesNoInputs() throws IOException {
        jobs.submit("name: transfer-ended\ncommand: echo done\ninputs:\n  features: {path: data:features:1}\n");
        assertThat(jobs.awaitEnded("transfer-ended", WAIT).path("status").asText()).isEqualTo("Completed");
        refusedOutputs("transfer-ended", tarGz(Map.of("a.txt", "x"), Map.of()), "application/gzip", 400, "only while it runs");
        HttpJson.Response input = http.get("/api/v1/jobs/transfer-ended/inputs/features/zip");
        assertThat(input.status()).isEqualTo(400);
        assertThat(input.json().path("error_code").asText()).isEqualTo("INVALID_STATE");
    }

    private void refusedOutputs(byte[] body, String type, int status, String message) {
        refusedOutputs("transfer-target", body, type, status, message);
    }

    private void refusedOutputs(String job, byte[] body, String type, int status, String message) {
        HttpJson.Response response = postOutputs(job, body, type);
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("message").asText()).contains(message);
    }

    private HttpJson.Response postOutputs(String job, byte[] body, String type) {
        return http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs/" + job + "/outputs"))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Map<String, String> inputZip(String job, String input) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs/" + job + "/inputs/"
                + input + "/zip")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static void uploadFile(HttpJson http, String asset, String type, String fileName, String content) {
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        String uploadId = session.json().path("upload_id").asText();
        http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId + "/files/" + fileName
                + "?offset=0")).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", asset, "type", type, "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    /** A gzip'd tar of {@code files} (name → content) and symbolic {@code links} (name → target). */
    static byte[] tarGz(Map<String, String> files, Map<String, String> links) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> link : links.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(link.getKey(), TarArchiveEntry.LF_SYMLINK, true);
                entry.setLinkName(link.getValue());
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
