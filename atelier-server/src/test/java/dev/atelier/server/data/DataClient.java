package dev.atelier.server.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers over the data API: upload local bytes in a session and register them. */
final class DataClient {
    private final HttpJson http;

    DataClient(HttpJson http) {
        this.http = http;
    }

    String startUpload() {
        HttpJson.Response created = http.post("/api/v1/data-uploads", Map.of());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("upload_id").asText();
    }

    HttpJson.Response append(String uploadId, String path, long offset, byte[] bytes) {
        return http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId + "/files/" + path
                        + "?offset=" + offset))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Uploads one text file in one chunk and returns the session id. */
    String upload(String path, String content) {
        String id = startUpload();
        HttpJson.Response appended = append(id, path, 0, content.getBytes(StandardCharsets.UTF_8));
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        return id;
    }

    HttpJson.Response create(String name, String type, String uploadIdOrNull, String pathOrNull, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        if (uploadIdOrNull != null) {
            body.put("upload_id", uploadIdOrNull);
        }
        if (pathOrNull != null) {
            body.put("path", pathOrNull);
        }
        body.putAll(extra);
        return http.post("/api/v1/data", body);
    }

    JsonNode createUploaded(String name, String type, String fileName, String content) {
        HttpJson.Response created = create(name, type, upload(fileName, content), null, Map.of());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }
}
