package dev.atelier.server.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The MLflow artifact proxy over real HTTP: routing, workspaces, path safety and errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    ArtifactTestServer server;
    @TempDir
    Path outside;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        server = startServer(dataDir);
        assertThat(server.postJson("/api/v1/workspaces", "{\"name\":\"team-a\"}").statusCode()).isEqualTo(201);
    }

    /** The server under test; a subclass runs the same routes against other artifact storage. */
    ArtifactTestServer startServer(Path dataDir) {
        return ArtifactTestServer.start(dataDir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void wildcardRouteTakesNestedPathsAndPercentEncodedNamesWithSpaces() throws Exception {
        assertThat(server.put(ARTIFACTS + "/names/my%20plots/loss%20curve%20%2B%20acc.png", png(), "image/png").statusCode())
                .isEqualTo(200);

        HttpResponse<byte[]> download = server.get(ARTIFACTS + "/names/my%20plots/loss%20curve%20%2B%20acc.png");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png());
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=loss curve + acc.png");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(json(server.get(ARTIFACTS + "?path=names%2Fmy%20plots"))).isEqualTo(JSON.readTree(
                "{\"files\":[{\"path\":\"loss curve + acc.png\",\"is_dir\":false,\"file_size\":8}]}"));
        assertThat(json(server.get(ARTIFACTS + "?path=names"))).isEqualTo(JSON.readTree(
                "{\"files\":[{\"path\":\"my plots\",\"is_dir\":true}]}"));
    }

    @Test
    void plusSignInUrlPathStaysAPlusSign() throws Exception {
        server.put(ARTIFACTS + "/plus/a+b.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain");

        assertThat(json(server.get(ARTIFACTS + "?path=plus")).get("files").get(0).get("path").asText()).isEqualTo("a+b.txt");
    }

    @Test
    void nonAsciiNameIsStoredAndSentWithEncodedContentDisposition() throws Exception {
        server.put(ARTIFACTS + "/intl/r%C3%A9sum%C3%A9.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain");

        HttpResponse<byte[]> download = server.get(ARTIFACTS + "/intl/r%C3%A9sum%C3%A9.txt");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt");
        assertThat(json(server.get(ARTIFACTS + "?path=intl")).get("files").get(0).get("path").asText()).isEqualTo("résumé.txt");
    }

    @Test
    void listingRootWithoutPathParameterAndDeepMissingFolder() throws Exception {
        server.put(ARTIFACTS + "/rootlist/file.bin", new byte[]{1}, "application/octet-stream");

        JsonNode root = json(server.get(ARTIFACTS));
        assertThat(root.get("files").findValuesAsText("path")).contains("rootlist");
        HttpResponse<byte[]> missing = server.get(ARTIFACTS + "?path=rootlist%2Fno%2Fsuch%2Ffolder");
        assertThat(missing.statusCode()).isEqualTo(200);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void downloadOfMissingFileOrFolderIsNotFoundJson() throws Exception {
        server.put(ARTIFACTS + "/dl/folder/file.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain");

        for (String path : new String[]{"/dl/folder/missing.txt", "/dl/folder"}) {
            HttpResponse<byte[]> response = server.get(ARTIFACTS + path);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json(response).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        }
    }

    @Test
    void deleteRemovesFileOrFolderAndAnswersEmptyObject() throws Exception {
        server.put(ARTIFACTS + "/del/keep.txt", "k".getBytes(StandardCharsets.UTF_8), "text/plain");
        server.put(ARTIFACTS + "/del/sub/a.txt", "a".getBytes(StandardCharsets.UTF_8), "text/plain");
        server.put(ARTIFACTS + "/del/gone.txt", "g".getBytes(StandardCharsets.UTF_8), "text/plain");

        for (String path : new String[]{"/del/sub", "/del/gone.txt", "/del/never-there"}) {
            HttpResponse<byte[]> response = server.send("DELETE", ARTIFACTS + path, HttpRequest.BodyPublishers.noBody(), null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        }
        assertThat(json(server.get(ARTIFACTS + "?path=del"))).isEqualTo(JSON.readTree(
                "{\"files\":[{\"path\":\"keep.txt\",\"is_dir\":false,\"file_size\":1}]}"));
    }

    @Test
    void uploadOverAFolderIsRefused() throws Exception {
        server.put(ARTIFACTS + "/clash/dir/file.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain");

        HttpResponse<byte[]> response = server.put(ARTIFACTS + "/clash/dir", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void workspaceArtifactsAreInvisibleFromTheDefaultWorkspace() throws Exception {
        String teamArtifacts = "/w/team-a" + ARTIFACTS;
        assertThat(server.put(teamArtifacts + "/ws/secret.txt", "team".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode())
                .isEqualTo(200);

        assertThat(server.get(teamArtifacts + "/ws/secret.txt").body()).isEqualTo("team".getBytes(StandardCharsets.UTF_8));
        assertThat(json(server.get(teamArtifacts + "?path=ws")).get("files").findValuesAsText("path")).containsExactly("secret.txt");
        assertThat(server.get(ARTIFACTS + "/ws/secret.txt").statusCode()).isEqualTo(404);
        assertThat(new String(server.get(ARTIFACTS + "?path=ws").body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(server.artifactsDir().resolve("team-a/ws/secret.txt")).hasContent("team");
    }

    @Test
    void deletingAWorkspaceRemovesItsArtifactFolder() throws Exception {
        assertThat(server.postJson("/api/v1/workspaces", "{\"name\":\"short-lived\"}").statusCode()).isEqualTo(201);
        server.put("/w/short-lived" + ARTIFACTS + "/x/y.txt", "y".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(server.artifactsDir().resolve("short-lived/x/y.txt")).exists();

        HttpResponse<byte[]> deleted = server.send("DELETE", "/api/v1/workspaces/short-lived",
                HttpRequest.BodyPublishers.noBody(), null);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(server.artifactsDir().resolve("short-lived")).doesNotExist();
    }

    @Test
    void unknownWorkspaceIsNotFoundJson() throws Exception {
        for (HttpResponse<byte[]> response : List.of(
                server.get("/w/nope" + ARTIFACTS + "/a/b.txt"),
                server.get("/w/nope" + ARTIFACTS + "?path=a"),
                server.put("/w/nope" + ARTIFACTS + "/a/b.txt", new byte[]{1}, "application/octet-stream"))) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json(response).get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "x/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "x/%252e%252e/y", "%2Fetc%2Fpasswd",
            "x/a%5C..%5C..%5Cb", "x/a%23b", "C:%2Fwin.ini"})
    void refusesTraversalInUrlPathWithJson400NamingThePath(String rawPath) throws Exception {
        for (HttpResponse<byte[]> response : List.of(
                server.put(ARTIFACTS + "/" + rawPath, "x".getBytes(StandardCharsets.UTF_8), "text/plain"),
                server.get(ARTIFACTS + "/" + rawPath),
                server.send("DELETE", ARTIFACTS + "/" + rawPath, HttpRequest.BodyPublishers.noBody(), null))) {
            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = json(response);
            assertThat(error.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(error.get("message").asText()).startsWith("Invalid path '");
        }
        try (var files = Files.walk(server.artifactsDir().getParent())) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith("passwd") || name.endsWith("win.ini"));
        }
    }

    @Test
    void rawDotDotSegmentsInUrlPathAreRefused() throws Exception {
        String response = rawHttp("PUT " + ARTIFACTS + "/x/../../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n"
                + "Connection: close\r\n\r\nx");

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("INVALID_PARAMETER_VALUE");
    }

    @Test
    void nulInUrlPathIsRefusedBeforeRouting() throws Exception {
        String response = rawHttp("GET " + ARTIFACTS + "/x/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // Jetty refuses a NUL in the path itself, before any route; its answer is HTML.
        assertThat(response).startsWith("HTTP/1.1 400");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..", "a%00b", "%2Fetc", "a%5Cb", "%252e%252e%252fetc"})
    void refusesTraversalInListingQueryWithJson400(String rawPath) throws Exception {
        HttpResponse<byte[]> response = server.get(ARTIFACTS + "?path=" + rawPath);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(json(response).get("message").asText()).startsWith("Invalid path '");
    }

    @Test
    void refusesSymlinkLeavingTheArtifactRoot() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path run = Files.createDirectories(server.artifactsDir().resolve("default/linked"));
        Files.createSymbolicLink(run.resolve("escape"), outside);

        for (HttpResponse<byte[]> response : List.of(
                server.get(ARTIFACTS + "/linked/escape/secret.txt"),
                server.get(ARTIFACTS + "?path=linked%2Fescape"),
                server.put(ARTIFACTS + "/linked/escape/planted.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain"))) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).get("message").asText()).contains("linked/escape").contains("symbolic link");
        }
        assertThat(outside.resolve("planted.txt")).doesNotExist();
    }

    @Test
    void multipartCreateAnswersNotImplementedLikeMlflowLocalStore() throws Exception {
        HttpResponse<byte[]> create = server.postJson("/api/2.0/mlflow-artifacts/mpu/create/1/run/artifacts/big.bin",
                "{\"path\":\"/tmp/big.bin\",\"num_parts\":3}");

        assertThat(create.statusCode()).isEqualTo(501);
        assertThat(json(create)).isEqualTo(JSON.readTree("{\"error_code\":\"NOT_IMPLEMENTED\","
                + "\"message\":\"Multipart upload is not supported for the current artifact repository\"}"));
        for (String action : new String[]{"complete", "abort"}) {
            HttpResponse<byte[]> response = server.postJson("/api/2.0/mlflow-artifacts/mpu/" + action + "/1/run/artifacts/big.bin",
                    "{\"path\":\"/tmp/big.bin\",\"upload_id\":\"u\",\"parts\":[{\"part_number\":1,\"etag\":\"e\"}]}");
            assertThat(response.statusCode()).as(action).isEqualTo(501);
        }
    }

    @Test
    void multipartChecksPathAndRequiredFieldsFirst() throws Exception {
        HttpResponse<byte[]> traversal = server.postJson("/api/2.0/mlflow-artifacts/mpu/create/..%2Fx", "{\"path\":\"x\"}");
        HttpResponse<byte[]> missingPath = server.postJson("/api/2.0/mlflow-artifacts/mpu/create/a/b.bin", "{\"num_parts\":2}");
        HttpResponse<byte[]> missingParts = server.postJson("/api/2.0/mlflow-artifacts/mpu/complete/a/b.bin", "{\"path\":\"b.bin\"}");

        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(missingPath.statusCode()).isEqualTo(400);
        assertThat(json(missingPath).get("message").asText()).contains("path");
        assertThat(missingParts.statusCode()).isEqualTo(400);
        assertThat(json(missingParts).get("message").asText()).contains("parts");
    }

    @Test
    void ajaxApiPrefixServesTheSameArtifacts() throws Exception {
        server.put("/ajax-api/2.0/mlflow-artifacts/artifacts/ajax/a.txt", "a".getBytes(StandardCharsets.UTF_8), "text/plain");

        assertThat(server.get(ARTIFACTS + "/ajax/a.txt").body()).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void chunkedUploadOfUnknownLengthIsStoredWhole() throws Exception {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        HttpResponse<byte[]> put = server.send("PUT", ARTIFACTS + "/chunked/data.bin",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)), "application/octet-stream");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(server.get(ARTIFACTS + "/chunked/data.bin").body()).isEqualTo(body);
    }

    private String rawHttp(String request) throws IOException {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static byte[] png() {
        return new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    }
}
