package dev.atelier.server.artifacts;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** A real server on a random port for the artifact tests, with a plain HTTP/1.1 client. */
final class ArtifactTestServer implements AutoCloseable {
    private final AtelierServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ArtifactTestServer(AtelierServer server) {
        this.server = server;
    }

    static ArtifactTestServer start(Path dataDir) {
        return start(ServerConfig.forTests(dataDir));
    }

    static ArtifactTestServer start(ServerConfig config) {
        return new ArtifactTestServer(AtelierServer.start(config));
    }

    String url() {
        return server.url();
    }

    Path artifactsDir() {
        return server.dataDir().resolve("artifacts");
    }

    HttpClient client() {
        return client;
    }

    /** Sends {@code method path} (path as it goes on the wire, percent-encoding kept) and reads the body as bytes. */
    HttpResponse<byte[]> send(String method, String rawPath, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + rawPath))
                .header("Accept", "*/*")
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String rawPath) throws IOException, InterruptedException {
        return send("GET", rawPath, HttpRequest.BodyPublishers.noBody(), null);
    }

    HttpResponse<byte[]> put(String rawPath, byte[] body, String contentType) throws IOException, InterruptedException {
        return send("PUT", rawPath, HttpRequest.BodyPublishers.ofByteArray(body), contentType);
    }

    HttpResponse<byte[]> postJson(String rawPath, String json) throws IOException, InterruptedException {
        return send("POST", rawPath, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    @Override
    public void close() {
        server.close();
    }
}
