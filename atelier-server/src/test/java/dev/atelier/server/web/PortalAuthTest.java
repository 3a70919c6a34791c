package dev.atelier.server.web;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal with authentication on: sign-in redirect, session cookie, CSRF token on changes, roles deciding actions. */
class PortalAuthTest {
    private static final String ADMIN_PASSWORD = "admin-pass-123";
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-portal-auth"))
                .withSecurity(new SecurityConfig(true, Optional.of(ADMIN_PASSWORD), Optional.empty())));
        call("POST", "/api/v1/auth/password", basic("admin", ADMIN_PASSWORD), "application/json",
                HttpJson.toJson(Map.of("current_password", ADMIN_PASSWORD, "new_password", "admin-pass-456")));
        String admin = basic("admin", "admin-pass-456");
        assertThat(call("POST", "/api/v1/users", admin, "application/json",
                HttpJson.toJson(Map.of("username", "rita", "password", "rita-password-1"))).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/access", admin, "application/json",
                HttpJson.toJson(Map.of("username", "rita", "role", "Reader"))).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/workspaces", admin, "application/json",
                HttpJson.toJson(Map.of("name", "private"))).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pagesWithoutSessionRedirectToTheLoginPage() {
        HttpResponse<String> landing = page("/experiments?q=x", null);
        assertThat(landing.statusCode()).isEqualTo(303);
        assertThat(landing.headers().firstValue("Location")).hasValue("/login?next=%2Fexperiments%3Fq%3Dx");
        assertThat(landing.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> login = page("/login?next=%2Fexperiments", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("id=\"login-form\"", "data-next=\"/experiments\"");
        assertThat(page("/login?next=//evil.example", null).body()).contains("data-next=\"/\"");
    }

    @Test
    void sessionOpensPagesAndChangesNeedTheCsrfToken() {
        Session admin = login("admin", "admin-pass-456");
        HttpResponse<String> landing = page("/", admin.cookie());
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains("X-CSRF-Token&#34;: &#34;" + admin.csrf()).contains("private");
        HttpResponse<String> forged = form("/experiments", admin.cookie(), null, "name=forged");
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> created = form("/experiments", admin.cookie(), admin.csrf(), "name=by-session");
        assertThat(created.statusCode()).isEqualTo(204);
        assertThat(created.headers().firstValue("HX-Redirect")).hasValueSatisfying(url -> assertThat(url).startsWith("/experiments/"));
    }

    @Test
    void readerSeesNoActionsCannotChangeAndDoesNotSeeOtherWorkspaces() {
        Session reader = login("rita", "rita-password-1");
        HttpResponse<String> experiments = page("/experiments", reader.cookie());
        assertThat(experiments.statusCode()).isEqualTo(200);
        assertThat(experiments.body()).doesNotContain("id=\"create-experiment\"").doesNotContain(">private<");
        assertThat(form("/experiments", reader.cookie(), reader.csrf(), "name=not-allowed").statusCode()).isEqualTo(403);
        HttpResponse<String> elsewhere = page("/w/private/", reader.cookie());
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("Not allowed");
    }

    private record Session(String cookie, String csrf) {
    }

    private static Session login(String username, String password) {
        HttpResponse<String> response = call("POST", "/api/v1/auth/login", null, "application/json",
                HttpJson.toJson(Map.of("username", username, "password", password)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        return new Session(cookie, HttpJson.parse(response.body()).get("csrf_token").asText());
    }

    private static HttpResponse<String> page(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html").GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    private static HttpResponse<String> form(String path, String cookie, String csrf, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html")
                .header("HX-Request", "true").header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return send(request.build());
    }

    private static HttpResponse<String> call(String method, String path, String authorization, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
