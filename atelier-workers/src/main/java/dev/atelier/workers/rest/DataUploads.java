package dev.atelier.workers.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Registers a file as a new data asset version through the native API's resumable uploads (docs/data.md, "API"): a
 * session ({@code POST /api/v1/data-uploads}), the file in {@value #CHUNK_BYTES}-byte chunks
 * ({@code PUT .../files/<name>?offset=N}), then {@code POST /api/v1/data} with the session's id, as the CLI and SDK do.
 * Beside {@link ServerClient}, whose JSON calls it uses, because it sends raw bytes. Thread-safe.
 */
public final class DataUploads {
    public static final int CHUNK_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerClient client;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    public DataUploads(ServerClient client, Optional<String> token) {
        this.client = requireNonNull(client, "client is null");
        this.token = requireNonNull(token, "token is null").filter(value -> !value.isBlank());
    }

    /** From MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN, as {@link ServerClient#fromEnvironment}. */
    public static DataUploads fromEnvironment(Map<String, String> environment) {
        return new DataUploads(ServerClient.fromEnvironment(environment), Optional.ofNullable(environment.get("MLFLOW_TRACKING_TOKEN")));
    }

    /**
     * Uploads {@code file} and registers it as the next version of data asset {@code name}; answers the version's document
     * ({@code name}, {@code version}, ...).
     *
     * @throws ServerClient.ServerException when the server refuses a call, with its message
     */
    public JsonNode register(String name, String type, String description, Path file) {
        String uploadId = client.post("/api/v1/data-uploads", JSON.createObjectNode().put("size_bytes", size(file)))
                .path("upload_id").asText();
        String fileName = URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8).replace("+", "%20");
        byte[] buffer = new byte[CHUNK_BYTES];
        long offset = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(buffer, 0, CHUNK_BYTES);
            do {
                put("/api/v1/data-uploads/" + uploadId + "/files/" + fileName + "?offset=" + offset, buffer, read);
                offset += read;
                read = in.readNBytes(buffer, 0, CHUNK_BYTES);
            } while (read > 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        ObjectNode body = JSON.createObjectNode().put("name", name).put("type", type).put("upload_id", uploadId)
                .put("description", description);
        return client.post("/api/v1/data", body);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void put(String path, byte[] bytes, int length) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.trackingUri() + path)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, 0, length));
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ServerClient.ServerException("PUT " + path + " failed: " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerClient.ServerException("PUT " + path + " was interrupted", 0);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ServerClient.ServerException("PUT " + path + " answered " + response.statusCode() + ": " + response.body(),
                    response.statusCode());
        }
    }
}
