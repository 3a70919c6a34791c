package dev.atelier.server.web.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the data pages tests do over HTTP: register an uploaded file as a data asset version through
 * the API, record lineage, fetch pages as a browser ({@code Accept: text/html}) and post htmx
 * actions; with an {@code Authorization} header when the server runs with authentication.
 */
public final class DataPortalClient {
    private final HttpJson http;
    private final Supplier<String> baseUrl;
    private final Optional<String> authorization;

    public DataPortalClient(Supplier<String> baseUrl, Optional<String> authorization) {
        this.baseUrl = baseUrl;
        this.http = new HttpJson(baseUrl);
        this.authorization = authorization;
    }

    /** Uploads {@code content} as {@code fileName} and registers it as a new version of {@code name}; answers the version. */
    public JsonNode register(String workspacePrefix, String name, String type, String fileName, String content, Map<String, String> tags) {
        JsonNode upload = ok(send("POST", workspacePrefix + "/api/v1/data-uploads", "application/json", "{}"), 201).json();
        String uploadId = upload.get("upload_id").asText();
        HttpRequest.Builder put = request(workspacePrefix + "/api/v1/data-uploads/" + uploadId + "/files/" + fileName + "?offset=0")
                .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8));
        ok(http.send(put.build()), 200);
        String body = HttpJson.toJson(Map.of("name", name, "type", type, "upload_id", uploadId, "tags", tags));
        return ok(send("POST", workspacePrefix + "/api/v1/data", "application/json", body), 201).json();
    }

    /** An API call with a JSON body; answers whatever the server says. */
    HttpJson.Response api(String method, String path, Object body) {
        return send(method, path, "application/json", HttpJson.toJson(body));
    }

    HttpJson.Response page(String path) {
        return http.send(request(path).header("Accept", "text/html").GET().build());
    }

    /** A form post as htmx sends it. */
    HttpJson.Response action(String path) {
        HttpRequest.Builder request = request(path).header("Accept", "text/html").header("HX-Request", "true")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(""));
        if (authorization.isEmpty()) {
            request.header("X-CSRF-Token", PortalForms.csrfToken(http));  // the local user's token (no auth)
        }
        return http.send(request.build());
    }

    private HttpJson.Response send(String method, String path, String contentType, String body) {
        return http.send(request(path).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl.get() + path));
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    static HttpJson.Response ok(HttpJson.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        return response;
    }
}
