package dev.atelier.server.http;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.PortalForms;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a web page can make a browser send to a server without auth (docs/security.md,
 * "Browser-origin protection"): cross-site simple requests, DNS rebinding, foreign-origin portal
 * forms and preflights. Each refused request must change nothing.
 */
class BrowserOriginTest {
    private static final String EVIL = "http://evil.example";
    private static TestServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void crossSiteTextPlainJobSubmissionIsRefusedAndCreatesNoJob() {
        String job = "{\"type\": \"command\", \"name\": \"pwned\", \"command\": \"id\"}";
        HttpJson.Response fromPage = send("POST", "/api/v1/jobs", "text/plain", job, "Origin", EVIL);
        assertThat(fromPage.status()).isEqualTo(403);
        assertThat(fromPage.errorCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(fromPage.json().path("message").asText()).contains("--cors-allowed-origins");
        // The same simple request without Origin (an old browser, a redirect) is still no JSON.
        HttpJson.Response plain = send("POST", "/api/v1/jobs", "text/plain", job);
        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.json().path("message").asText()).contains("application/json");
        HttpJson.Response blob = send("POST", "/api/v1/jobs", null, job);
        assertThat(blob.status()).isEqualTo(415);
        assertThat(server.http().get("/api/v1/jobs").json().path("jobs")).isEmpty();
    }

    @Test
    void crossSiteExperimentCreationCreatesNothing() {
        String body = "{\"name\": \"from-evil\"}";
        assertThat(send("POST", "/api/2.0/mlflow/experiments/create", "text/plain", body, "Origin", EVIL).status()).isEqualTo(403);
        assertThat(send("POST", "/api/2.0/mlflow/experiments/create", "application/json", body, "Origin", EVIL).status()).isEqualTo(403);
        assertThat(send("POST", "/api/2.0/mlflow/experiments/create", "application/json", body, "Origin", "null").status())
                .isEqualTo(403);
        assertThat(send("POST", "/api/2.0/mlflow/experiments/create", "application/json", body, "Referer", EVIL + "/page.html")
                .status()).isEqualTo(403);
        assertThat(send("POST", "/api/2.0/mlflow/experiments/create", "text/plain; charset=utf-8", body).status()).isEqualTo(415);
        assertThat(server.http().get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=from-evil").status()).isEqualTo(404);
    }

    @Test
    void documentRoutesTakeJsonAndYamlButNotTextOrFormTypes() {
        String yaml = "type: command\nname: not-run\n";  // no command: refused as a job, after its type was accepted
        for (String type : List.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml; charset=utf-8")) {
            HttpJson.Response answer = send("POST", "/api/v1/jobs", type, yaml);
            assertThat(answer.status()).as(type).isEqualTo(400);
            assertThat(answer.errorCode()).as(type).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            HttpJson.Response answer = send("POST", "/api/v1/jobs", type, yaml);
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.errorCode()).as(type).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertThat(answer.json().path("message").asText()).as(type).contains("application/json or application/yaml");
        }
        assertThat(server.http().get("/api/v1/jobs").json().path("jobs")).isEmpty();
    }

    @Test
    void ownOriginAndJsonWithCharsetAreAccepted() {
        HttpJson.Response created = send("POST", "/api/2.0/mlflow/experiments/create", "application/json; charset=utf-8",
                "{\"name\": \"same-origin\"}", "Origin", server.url(), "Referer", server.url() + "/experiments");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
    }

    @Test
    void foreignHostIsRefusedOnEveryKindOfPath() {
        for (String path : List.of("/api/v1/secrets", "/api/2.0/mlflow/experiments/search?max_results=1", "/experiments",
                "/static/portal.css", "/health")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: evil.example:" + server.server().port()
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 403").contains("--allowed-hosts");
        }
        String portal = raw("GET /experiments HTTP/1.1\r\nHost: evil.example\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
        assertThat(portal).startsWith("HTTP/1.1 403").contains("text/html").contains("--allowed-hosts");
        for (String host : List.of("localhost:" + server.server().port(), "127.0.0.1:" + server.server().port(), "LOCALHOST")) {
            assertThat(raw("GET /api/v1/secrets HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).as(host)
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void portalFormFromAForeignOriginIsRefusedAndChangesNothing() {
        String token = PortalForms.csrfToken(server.http());
        HttpJson.Response foreign = form("/experiments", "name=evil-form", "Origin", EVIL, "X-CSRF-Token", token);
        assertThat(foreign.status()).isEqualTo(403);
        HttpJson.Response noToken = form("/experiments", "name=no-token", "Origin", server.url());
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.text()).contains("X-CSRF-Token");
        HttpJson.Response wrongToken = form("/experiments", "name=wrong-token", "X-CSRF-Token", "0".repeat(64));
        assertThat(wrongToken.status()).isEqualTo(403);
        HttpJson.Response own = form("/experiments", "name=own-form", "Origin", server.url(), "X-CSRF-Token", token);
        assertThat(own.status()).as(own.text()).isEqualTo(204);
        String experiments = server.http().get("/api/2.0/mlflow/experiments/search?max_results=100").text();
        assertThat(experiments).contains("own-form").doesNotContain("evil-form", "no-token", "wrong-token");
    }

    @Test
    void portalPagesCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create(server.url() + "/experiments"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(policy).contains("frame-ancestors 'none'", "script-src 'self'").doesNotContain("unsafe-eval");
        assertThat(policy.split("script-src")[1].split(";")[0]).doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(page.body()).doesNotContain("onclick=", "onchange=", "onsubmit=", "oninput=", "javascript:");
        HttpResponse<String> behindTls = CLIENT.send(HttpRequest.newBuilder(URI.create(server.url() + "/experiments"))
                .header("Accept", "text/html").header("X-Forwarded-Proto", "https").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(behindTls.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void allowedOriginGetsPreflightAndCorsHeadersOthersDoNot() throws IOException {
        String app = "http://app.example:8080";
        ServerConfig config = ServerConfig.forTests(Files.createTempDirectory("atelier-cors"));
        config = config.withSecurity(config.security().withOrigins(new SecurityConfig.Origins(List.of("atelier.example"), List.of(app))));
        try (TestServer cors = TestServer.start(config)) {
            HttpResponse<String> preflightHeaders = rawPreflight(cors.url(), app);
            assertThat(preflightHeaders.statusCode()).isEqualTo(204);
            assertThat(preflightHeaders.headers().firstValue("Access-Control-Allow-Origin")).hasValue(app);
            assertThat(preflightHeaders.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
            assertThat(preflightHeaders.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("content-type");
            assertThat(preflightHeaders.headers().allValues("Vary")).anyMatch(value -> value.contains("Origin"));
            HttpResponse<String> foreignPreflight = rawPreflight(cors.url(), EVIL);
            assertThat(foreignPreflight.statusCode()).isEqualTo(403);
            assertThat(foreignPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

            HttpResponse<String> created = rawSend(cors.url() + "/api/2.0/mlflow/experiments/create", "{\"name\": \"from-app\"}", app);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertThat(created.headers().firstValue("Access-Control-Allow-Origin")).hasValue(app);
            assertThat(rawSend(cors.url() + "/api/2.0/mlflow/experiments/create", "{\"name\": \"from-evil\"}", EVIL).statusCode())
                    .isEqualTo(403);
            assertThat(raw(cors.server().port(), "GET /health HTTP/1.1\r\nHost: atelier.example:5000\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void allowedHostsStarAnswersEveryName() throws IOException {
        ServerConfig config = ServerConfig.forTests(Files.createTempDirectory("atelier-hosts"));
        config = config.withSecurity(config.security().withOrigins(new SecurityConfig.Origins(List.of("*"), List.of())));
        try (TestServer open = TestServer.start(config)) {
            assertThat(raw(open.server().port(), "GET /health HTTP/1.1\r\nHost: anything.example\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
        }
    }

    private static HttpResponse<String> rawPreflight(String url, String origin) {
        return call(HttpRequest.newBuilder(URI.create(url + "/api/2.0/mlflow/experiments/create"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type").build());
    }

    private static HttpResponse<String> rawSend(String url, String body, String origin) {
        return call(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> call(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpJson.Response form(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("HX-Request", "true")
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.http().send(request.build());
    }

    private static HttpJson.Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "*/*")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.http().send(request.build());
    }

    private static String raw(String request) {
        return raw(server.server().port(), request);
    }

    /** One HTTP/1.1 exchange over a socket: Java's HttpClient does not let a caller set {@code Host}. */
    static String raw(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
