package dev.atelier.server.uploads;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.EmbeddedPostgres;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers in one JVM on one PostgreSQL database and one S3-compatible store (S3Proxy), each with a data directory of
 * its own: a code snapshot uploaded through one is read through the other (its blobs are in the shared store, the
 * database their index), and a data upload session begun on one is continued on the other and registered through the
 * first. What no replica may keep on its own disk (docs/operations.md, "Running several servers").
 */
class ReplicaSharedUploadsTest {
    private static S3ProxyServer s3;
    private static AtelierServer first;
    private static AtelierServer second;
    private static HttpJson one;
    private static HttpJson two;

    @BeforeAll
    static void start(@TempDir Path firstDir, @TempDir Path secondDir) {
        s3 = S3ProxyServer.start();
        var bucket = s3.createBucket("shared", "atelier");
        String database = EmbeddedPostgres.createDatabase();
        first = AtelierServer.start(ServerConfig.forTests(firstDir).withDatabaseUrl(database).withArtifactsS3(bucket));
        second = AtelierServer.start(ServerConfig.forTests(secondDir).withDatabaseUrl(database).withArtifactsS3(bucket));
        one = new HttpJson(first.url());
        two = new HttpJson(second.url());
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        s3.close();
    }

    @Test
    void snapshotUploadedThroughOneServerIsReadThroughTheOther() {
        String main = "print('hello from a replica')\n";
        String helper = "VALUE = 42\n";
        List<Map<String, Object>> manifest = List.of(file("main.py", main), file("lib/helper.py", helper));
        assertThat(one.post("/api/v1/snapshots/missing-blobs", Map.of("files", manifest)).json().path("missing")).hasSize(2);
        HttpJson.Response stored = one.send("POST", "/api/v1/snapshots/blob-batch", frame(main) + frame(helper));
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);

        // the other server holds them too: it asks for none and creates the snapshot
        assertThat(two.post("/api/v1/snapshots/missing-blobs", Map.of("files", manifest)).json().path("missing")).isEmpty();
        HttpJson.Response created = two.post("/api/v1/snapshots", Map.of("files", manifest));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String id = created.json().path("snapshot_id").asText();

        HttpJson.Response read = two.get("/api/v1/snapshots/" + id + "/files/lib/helper.py");
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.text()).isEqualTo(helper);
        assertThat(one.get("/api/v1/snapshots/" + id + "/files/main.py").text()).isEqualTo(main);
        assertThat(two.get("/api/v1/snapshots/" + id + "/zip").status()).isEqualTo(200);
    }

    @Test
    void uploadBegunOnOneServerIsContinuedAndFinishedOnTheOther() throws Exception {
        HttpJson.Response begun = one.post("/api/v1/data-uploads", Map.of());
        assertThat(begun.status()).as(begun.text()).isEqualTo(201);
        String id = begun.json().path("upload_id").asText();
        assertThat(append(first, id, "rows.csv", 0, "x,y\n1,2\n").status()).isEqualTo(200);

        // the second server sees what the first received and takes the next chunk
        HttpJson.Response seen = two.get("/api/v1/data-uploads/" + id);
        assertThat(seen.status()).as(seen.text()).isEqualTo(200);
        assertThat(seen.json().path("files").get(0).path("size_bytes").asLong()).as(seen.text()).isEqualTo(8);
        HttpJson.Response wrongOffset = append(second, id, "rows.csv", 3, "3,4\n");
        assertThat(wrongOffset.status()).as(wrongOffset.text()).isEqualTo(409);
        assertThat(append(second, id, "rows.csv", 8, "3,4\n").status()).isEqualTo(200);
        assertThat(append(second, id, "empty.txt", 0, "").status()).isEqualTo(200);

        // registered through the first: the version holds both chunks, in order
        HttpJson.Response registered = one.post("/api/v1/data", Map.of("name", "replicated", "type", "uri_folder", "upload_id", id));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        String version = registered.json().path("version").asText();
        HttpJson.Response rows = two.get("/api/v1/data/replicated/versions/" + version + "/files/rows.csv");
        assertThat(rows.status()).as(rows.text()).isEqualTo(200);
        assertThat(rows.text()).isEqualTo("x,y\n1,2\n3,4\n");
        assertThat(two.get("/api/v1/data/replicated/versions/" + version + "/files/empty.txt").text()).isEmpty();
        // the session is gone on both, with its chunks in the store
        assertThat(two.get("/api/v1/data-uploads/" + id).status()).isEqualTo(404);
        try (var files = Files.walk(s3.folder())) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.contains(id));
        }
    }

    private static HttpJson.Response append(AtelierServer server, String id, String path, long offset, String content) {
        return new HttpJson(server.url()).send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/data-uploads/" + id
                        + "/files/" + path + "?offset=" + offset))
                .PUT(HttpRequest.BodyPublishers.ofString(content)).build());
    }

    private static String frame(String content) {
        return sha256(content) + " " + content.getBytes(StandardCharsets.UTF_8).length + "\n" + content;
    }

    private static Map<String, Object> file(String path, String content) {
        return Map.of("path", path, "sha256", sha256(content), "size", content.getBytes(StandardCharsets.UTF_8).length);
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
