package dev.atelier.server.uploads;

import dev.atelier.server.testing.SettableClock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload limits end to end on a real server whose clock the test moves: unfinished upload sessions
 * and unreferenced snapshot blobs expire, referenced blobs stay, and uploads over the workspace's
 * quota are refused with 413 before a byte is written.
 */
class UploadLimitsTest {
    private static final Duration EXPIRY = Duration.ofHours(24);

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(System.currentTimeMillis());
    AtelierServer server;
    private HttpJson http;

    /** SQLite here; {@link UploadLimitsOnPostgresTest} runs the same on PostgreSQL. */
    ServerConfig config() {
        return ServerConfig.forTests(dataDir);
    }

    /** The bytes the server holds of a file of an upload session; -1 when it holds no such file. */
    long stagedBytes(String id, String path) throws java.io.IOException {
        Path file = dataDir.resolve("uploads/default/" + id + "/" + path);
        return Files.exists(file) ? Files.size(file) : -1;
    }

    /** Whether anything of an upload session is stored. */
    boolean sessionStored(String id) {
        return Files.exists(dataDir.resolve("uploads/default/" + id));
    }

    private void start(long quotaBytes) {
        server = AtelierServer.start(config().withUploads(new UploadLimits(EXPIRY, quotaBytes)), clock);
        http = new HttpJson(server.url());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void unfinishedUploadSessionOlderThanTheExpiryIsSweptAndAnswers410() throws Exception {
        start(UploadLimits.DEFAULT_WORKSPACE_QUOTA_BYTES);
        String stale = startUpload();
        assertThat(append(stale, "a.csv", 0, "x,y\n1,2\n").status()).isEqualTo(200);
        assertThat(stagedBytes(stale, "a.csv")).isEqualTo(8);

        clock.advance(Duration.ofHours(23));
        String active = startUpload();
        assertThat(append(active, "b.csv", 0, "b\n1\n").status()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));

        JsonNode swept = gc();
        assertThat(swept.path("uploads").path("upload_sessions").asLong()).as(swept.toString()).isEqualTo(1);
        assertThat(swept.path("uploads").path("bytes").asLong()).isEqualTo(8);
        assertThat(stagedBytes(stale, "a.csv")).isEqualTo(-1);
        assertThat(sessionStored(stale)).isFalse();

        HttpJson.Response status = http.get("/api/v1/data-uploads/" + stale);
        assertThat(status.status()).as(status.text()).isEqualTo(410);
        assertThat(status.errorCode()).isEqualTo("RESOURCE_EXPIRED");
        assertThat(status.json().path("message").asText()).contains(stale).contains("expired").contains("--upload-expiry")
                .contains("for 24h");
        assertThat(append(stale, "a.csv", 8, "3,4\n").status()).isEqualTo(410);
        HttpJson.Response register = http.post("/api/v1/data", Map.of("name", "late", "type", "uri_file", "upload_id", stale));
        assertThat(register.status()).as(register.text()).isEqualTo(410);
        assertThat(http.get("/api/v1/data/late/versions").status()).isEqualTo(404);

        // The session that received a chunk within the expiry stays and registers.
        HttpJson.Response registered = http.post("/api/v1/data", Map.of("name", "fresh", "type", "uri_file", "upload_id", active));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        assertThat(gc().path("uploads").path("upload_sessions").asLong()).isZero();
        // The workspace names folders on disk: only a workspace name is taken.
        assertThat(http.post("/api/v1/gc", Map.of("workspace", "../uploads")).status()).isEqualTo(400);
    }

    @Test
    void unreferencedSnapshotBlobIsSweptAndAReferencedOneStays() throws Exception {
        start(UploadLimits.DEFAULT_WORKSPACE_QUOTA_BYTES);
        String kept = "print('kept')\n";
        String orphan = "print('never in a snapshot')\n";
        assertThat(putBlobs(kept, orphan).status()).isEqualTo(200);
        HttpJson.Response snapshot = http.post("/api/v1/snapshots", Map.of("files", List.of(file("main.py", kept))));
        assertThat(snapshot.status()).as(snapshot.text()).isEqualTo(200);
        String id = snapshot.json().path("snapshot_id").asText();

        // A blob stored before blobs had rows, and the leftover of a write that died, are old files without a row.
        String legacy = "stored by an older version\n";
        Files.createDirectories(blobFile(legacy).getParent());
        Files.writeString(blobFile(legacy), legacy);
        Path leftover = Files.writeString(blobFile(legacy).resolveSibling(sha256(legacy) + ".1234.tmp"), "half");

        clock.advance(EXPIRY.plusHours(1));
        JsonNode swept = gc();
        assertThat(swept.path("uploads").path("snapshot_blobs").asLong()).as(swept.toString()).isEqualTo(2);
        assertThat(blobFile(orphan)).doesNotExist();
        assertThat(blobFile(legacy)).doesNotExist();
        assertThat(leftover).doesNotExist();
        assertThat(blobFile(kept)).exists();
        assertThat(http.get("/api/v1/snapshots/" + id + "/files/main.py").text()).isEqualTo(kept);
        assertThat(http.post("/api/v1/snapshots/missing-blobs", Map.of("files", List.of(file("main.py", kept), file("o.py", orphan))))
                .json().path("missing")).extracting(JsonNode::asText).containsExactly(sha256(orphan));
        HttpJson.Response late = http.post("/api/v1/snapshots", Map.of("files", List.of(file("o.py", orphan))));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.json().path("message").asText()).contains("was not uploaded");
    }

    @Test
    void blobNamedWithinTheExpiryByASnapshotBeingAssembledStays() {
        start(UploadLimits.DEFAULT_WORKSPACE_QUOTA_BYTES);
        String early = "uploaded first\n";
        assertThat(putBlobs(early).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(23));
        // The client announces its manifest again (the blob is there: it does not send it) ...
        assertThat(http.post("/api/v1/snapshots/missing-blobs", Map.of("files", List.of(file("e.txt", early))))
                .json().path("missing")).isEmpty();
        clock.advance(Duration.ofHours(2));
        // ... a sweep runs before it creates the snapshot: the blob it was told is there stays.
        assertThat(gc().path("uploads").path("snapshot_blobs").asLong()).isZero();
        assertThat(blobFile(early)).exists();
        assertThat(http.post("/api/v1/snapshots", Map.of("files", List.of(file("e.txt", early)))).status()).isEqualTo(200);
    }

    @Test
    void batchKeepsTheBlobsBeforeABadFrameAndMarksANamedBlobUsedWhenItArrives() throws Exception {
        start(UploadLimits.DEFAULT_WORKSPACE_QUOTA_BYTES);
        String named = "named by a manifest long ago\n";
        assertThat(http.post("/api/v1/snapshots/missing-blobs", Map.of("files", List.of(file("n.txt", named)))).json().path("missing"))
                .extracting(JsonNode::asText).containsExactly(sha256(named));
        clock.advance(EXPIRY.plusHours(1));
        // Its row is older than the expiry when the batch brings it: storing it marks it used again.
        String fresh = "stored before the bad frame\n";
        HttpJson.Response refused = http.send("POST", "/api/v1/snapshots/blob-batch", frame(named) + frame(fresh) + "not a header\n");
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("Invalid blob frame header");
        assertThat(blobFile(named)).hasContent(named);
        assertThat(blobFile(fresh)).hasContent(fresh);
        try (java.util.stream.Stream<Path> files = Files.walk(dataDir.resolve("snapshots"))) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
        }

        clock.advance(Duration.ofHours(1));
        assertThat(gc().path("uploads").path("snapshot_blobs").asLong()).isZero();
        assertThat(http.post("/api/v1/snapshots", Map.of("files", List.of(file("n.txt", named), file("f.txt", fresh)))).status())
                .isEqualTo(200);
    }

    @Test
    void dataUploadOverTheQuotaGets413AndWritesNothing() throws Exception {
        start(1000);
        String id = startUpload();
        assertThat(append(id, "ok.bin", 0, "a".repeat(600)).status()).isEqualTo(200);

        HttpJson.Response declared = append(id, "big.bin", 0, "b".repeat(500));
        assertThat(declared.status()).as(declared.text()).isEqualTo(413);
        assertThat(declared.errorCode()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(declared.json().path("message").asText()).contains("workspace 'default'").contains("use 600 bytes")
                .contains("needs 500 more").contains("limit is 1000 bytes").contains("--workspace-upload-quota");
        assertThat(stagedBytes(id, "big.bin")).isEqualTo(-1);

        // Without a Content-Length the chunk is counted while it streams and cut off at the limit.
        HttpJson.Response streamed = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/data-uploads/" + id
                        + "/files/ok.bin?offset=600"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[500]))).build());
        assertThat(streamed.status()).as(streamed.text()).isEqualTo(413);
        assertThat(stagedBytes(id, "ok.bin")).isEqualTo(600);
        assertThat(http.get("/api/v1/data-uploads/" + id).json().path("files").findValuesAsText("path")).containsExactly("ok.bin");

        HttpJson.Response announced = http.post("/api/v1/data-uploads", Map.of("size_bytes", 401));
        assertThat(announced.status()).as(announced.text()).isEqualTo(413);
        assertThat(announced.json().path("message").asText()).contains("needs 401 more");

        // Deleting the session gives the bytes back.
        assertThat(http.send("DELETE", "/api/v1/data-uploads/" + id, "").status()).isEqualTo(200);
        assertThat(http.post("/api/v1/data-uploads", Map.of("size_bytes", 1000)).status()).isEqualTo(201);
    }

    @Test
    void snapshotUploadOverTheQuotaGets413BeforeAnyByteAndCommittedSnapshotsDoNotCount() {
        start(1000);
        String big = "x".repeat(1200);
        HttpJson.Response announced = http.post("/api/v1/snapshots/missing-blobs", Map.of("files", List.of(file("big.txt", big))));
        assertThat(announced.status()).as(announced.text()).isEqualTo(413);
        assertThat(announced.json().path("message").asText()).contains("needs 1200 more").contains("limit is 1000 bytes");

        HttpJson.Response single = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/snapshots/blobs/" + sha256(big)))
                .PUT(HttpRequest.BodyPublishers.ofString(big)).build());
        assertThat(single.status()).as(single.text()).isEqualTo(413);
        assertThat(putBlobs(big).status()).isEqualTo(413);
        assertThat(blobFile(big)).doesNotExist();

        // A committed snapshot's blobs leave the quota: the next 800 bytes fit after the first 800 are in a snapshot.
        String first = "1".repeat(800);
        String second = "2".repeat(800);
        assertThat(putBlobs(first).status()).isEqualTo(200);
        assertThat(putBlobs(second).status()).isEqualTo(413);
        assertThat(http.post("/api/v1/snapshots", Map.of("files", List.of(file("first.txt", first)))).status()).isEqualTo(200);
        assertThat(putBlobs(second).status()).isEqualTo(200);
    }

    private String startUpload() {
        HttpJson.Response created = http.post("/api/v1/data-uploads", Map.of());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("upload_id").asText();
    }

    private HttpJson.Response append(String id, String path, long offset, String content) {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/data-uploads/" + id + "/files/" + path
                        + "?offset=" + offset))
                .PUT(HttpRequest.BodyPublishers.ofString(content)).build());
    }

    private JsonNode gc() {
        HttpJson.Response answer = http.post("/api/v1/gc", Map.of());
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    private HttpJson.Response putBlobs(String... contents) {
        StringBuilder body = new StringBuilder();
        for (String content : contents) {
            body.append(frame(content));
        }
        return http.send("POST", "/api/v1/snapshots/blob-batch", body.toString());
    }

    private static String frame(String content) {
        return sha256(content) + " " + content.getBytes(StandardCharsets.UTF_8).length + "\n" + content;
    }

    private Path blobFile(String content) {
        String hash = sha256(content);
        return dataDir.resolve("snapshots/default/" + hash.substring(0, 2) + "/" + hash);
    }

    private static Map<String, Object> file(String path, String content) {
        return Map.of("path", path, "sha256", sha256(content), "size", content.getBytes(StandardCharsets.UTF_8).length);
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
