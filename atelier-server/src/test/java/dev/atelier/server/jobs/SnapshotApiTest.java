package dev.atelier.server.jobs;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Content-addressed snapshots: batch upload, deduplication, one file, the zip the Kubernetes init container unpacks. */
class SnapshotApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void batchUploadStoresEveryFramedBlobAndTheSnapshotServesItsFiles() throws Exception {
        String a = "alpha\n";
        String b = "beta beta\n";
        String body = JobsFixture.sha256(a) + " " + a.length() + "\n" + a + JobsFixture.sha256(b) + " " + b.length() + "\n" + b;
        HttpJson.Response stored = server.http().send("POST", "/api/v1/snapshots/blob-batch", body);
        assertThat(stored.json().path("stored").asInt()).as(stored.text()).isEqualTo(2);
        List<Map<String, Object>> manifest = List.of(
                Map.of("path", "src/a.txt", "sha256", JobsFixture.sha256(a), "size", a.length()),
                Map.of("path", "b.txt", "sha256", JobsFixture.sha256(b), "size", b.length()),
                Map.of("path", "copy/of/a.txt", "sha256", JobsFixture.sha256(a), "size", a.length()));
        assertThat(server.http().post("/api/v1/snapshots/missing-blobs", Map.of("files", manifest)).json().path("missing")).isEmpty();
        String id = server.http().post("/api/v1/snapshots", Map.of("files", manifest)).json().path("snapshot_id").asText();
        assertThat(server.http().post("/api/v1/snapshots", Map.of("files", manifest.reversed())).json().path("snapshot_id").asText())
                .isEqualTo(id);
        assertThat(server.http().get("/api/v1/snapshots/" + id).json().path("files").findValuesAsText("path"))
                .containsExactly("b.txt", "copy/of/a.txt", "src/a.txt");
        assertThat(server.http().get("/api/v1/snapshots/" + id + "/files/src/a.txt").text()).isEqualTo(a);
        assertThat(server.http().get("/api/v1/snapshots/" + id + "/files/nope.txt").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/v1/snapshots/" + id + "/zip")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(entries(zip.body())).containsExactly("b.txt", "copy/of/a.txt", "src/a.txt");
    }

    @Test
    void batchWithAWrongHashOrATruncatedBlobIsRefused() {
        String a = "gamma\n";
        assertThat(server.http().send("POST", "/api/v1/snapshots/blob-batch", "f".repeat(64) + " 6\n" + a).json()
                .path("message").asText()).contains("hashes to");
        assertThat(server.http().send("POST", "/api/v1/snapshots/blob-batch", JobsFixture.sha256(a) + " 60\n" + a).json()
                .path("message").asText()).contains("body ended inside the blob");
        assertThat(server.http().send("POST", "/api/v1/snapshots/blob-batch", "not a header\n").json().path("message").asText())
                .contains("Invalid blob frame header");
    }

    private static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
