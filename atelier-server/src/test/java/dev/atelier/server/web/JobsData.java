package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Submits jobs (with an uploaded code snapshot) and waits for them over the API, for the jobs pages' tests. */
final class JobsData {
    static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpJson http;
    private final String authorization;

    JobsData(HttpJson http, String authorization) {
        this.http = http;
        this.authorization = authorization;
    }

    JobsData(HttpJson http) {
        this(http, "");
    }

    /** Uploads files (path → content) as a snapshot and returns its id. */
    String snapshot(Map<String, String> files) {
        List<Map<String, Object>> manifest = new ArrayList<>();
        files.forEach((path, content) -> manifest.add(Map.of("path", path, "sha256", sha256(content),
                "size", content.getBytes(StandardCharsets.UTF_8).length)));
        for (String content : files.values()) {
            HttpJson.Response put = send(request("/api/v1/snapshots/blobs/" + sha256(content))
                    .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
            assertThat(put.status()).as(put.text()).isEqualTo(200);
        }
        HttpJson.Response created = send(request("/api/v1/snapshots").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HttpJson.toJson(Map.of("files", manifest)))).build());
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json().path("snapshot_id").asText();
    }

    JsonNode submit(String workspacePrefix, String yaml) {
        HttpJson.Response response = send(request(workspacePrefix + "/api/v1/jobs").header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    JsonNode job(String workspacePrefix, String name) {
        HttpJson.Response response = send(request(workspacePrefix + "/api/v1/jobs/" + name).GET().build());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Polls until the job has the status {@code wanted} (or has ended, when {@code wanted} is null). */
    JsonNode await(String workspacePrefix, String name, String wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode job = job(workspacePrefix, name);
            String status = job.path("status").asText();
            if (wanted == null ? List.of("Completed", "Failed", "Canceled").contains(status) : status.equals(wanted)) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s still %s", name, status).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A portal page as a browser asks for it. */
    HttpJson.Response page(String path) {
        return send(request(path).header("Accept", "text/html").GET().build());
    }

    /** An htmx action (form post) as the portal sends it. */
    HttpJson.Response action(String path, String form) {
        HttpRequest.Builder request = request(path).header("HX-Request", "true").header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        if (authorization.isEmpty()) {
            request.header("X-CSRF-Token", PortalForms.csrfToken(http));  // the local user's token (no auth)
        }
        return send(request.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(http.baseUrl() + path));
        return authorization.isEmpty() ? builder : builder.header("Authorization", authorization);
    }

    private HttpJson.Response send(HttpRequest request) {
        return http.send(request);
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
