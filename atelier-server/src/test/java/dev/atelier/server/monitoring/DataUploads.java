package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Registers data assets through the server's upload API, as a user would. */
final class DataUploads {
    private DataUploads() {
    }

    static JsonNode register(HttpJson http, String name, String type, String fileName, String content) {
        HttpJson.Response started = http.post("/api/v1/data-uploads", Map.of());
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        String uploadId = started.json().get("upload_id").asText();
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                        + "/files/" + fileName + "?offset=0"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content.getBytes(StandardCharsets.UTF_8))).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", name, "type", type, "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }
}
