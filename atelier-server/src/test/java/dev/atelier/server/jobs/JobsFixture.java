package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.testing.HttpJson;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads snapshots, submits jobs and waits for them, over HTTP, as the CLI does. */
final class JobsFixture {
    /** The JVM running the tests, tuned to start fast: child processes use it for single-file programs ({@code java Train.java}). */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java")
            + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";

    private final HttpJson http;

    JobsFixture(HttpJson http) {
        this.http = http;
    }

    /** Whether jobs find a {@code python3} on their fixed PATH (the server's PATH does not reach them). */
    static boolean hasPython() {
        return List.of(LocalCompute.PATH.split(":")).stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, "python3")));
    }

    /** Uploads files (path → content) as a snapshot and returns its id. */
    String snapshot(Map<String, String> files) {
        List<Map<String, Object>> manifest = new ArrayList<>();
        files.forEach((path, content) -> manifest.add(Map.of("path", path, "sha256", sha256(content),
                "size", content.getBytes(StandardCharsets.UTF_8).length)));
        HttpJson.Response missing = http.post("/api/v1/snapshots/missing-blobs", Map.of("files", manifest));
        assertThat(missing.status()).as(missing.text()).isEqualTo(200);
        for (String content : files.values()) {
            String hash = sha256(content);
            HttpJson.Response put = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/snapshots/blobs/" + hash))
                    .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
            assertThat(put.status()).as(put.text()).isEqualTo(200);
        }
        HttpJson.Response created = http.post("/api/v1/snapshots", Map.of("files", manifest));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json().path("snapshot_id").asText();
    }

    HttpJson.Response submitYaml(String yaml) {
        return http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build());
    }

    JsonNode submit(String yaml) {
        HttpJson.Response response = submitYaml(yaml);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    JsonNode job(String name) {
        HttpJson.Response response = http.get("/api/v1/jobs/" + name);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Polls until the job has ended; fails after {@code timeout}. */
    JsonNode awaitEnded(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(name);
            String status = job.path("status").asText();
            if (List.of("Completed", "Failed", "Canceled").contains(status)) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", name, status).isLessThan(deadline);
            sleep(50);
        }
    }

    JsonNode awaitStatus(String name, String wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(name);
            if (job.path("status").asText().equals(wanted)) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s is %s, waiting for %s", name, job.path("status").asText(), wanted)
                    .isLessThan(deadline);
            sleep(50);
        }
    }

    /** Every captured line of the job, in order. */
    List<String> logLines(String name) {
        List<String> lines = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = http.get("/api/v1/jobs/" + name + "/logs?after=" + after).json();
            page.path("lines").forEach(line -> lines.add(line.path("line").asText()));
            if (page.path("lines").isEmpty()) {
                return lines;
            }
            after = page.path("last_seq").asLong();
        }
    }

    JsonNode run(String runId) {
        return http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().path("run");
    }

    /**
     * The run once its status is {@code status}: a job is marked ended before its run (JobExecution.finish), so a reader that
     * saw the job end may read the run an instant before it follows.
     */
    JsonNode awaitRunStatus(String runId, String status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = run(runId);
        while (!run.path("info").path("status").asText().equals(status) && System.nanoTime() < deadline) {
            sleep(20);
            run = run(runId);
        }
        return run;
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
