package dev.atelier.server.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.SettableClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server with authentication on a settable clock, a workspace {@code team} with users (each with a token), and
 * calls with a bearer token. Needs Debian's Jupyter (jupyter-notebook or python3-jupyter-server).
 */
final class NotebookServerFixture implements AutoCloseable {
    static final String WORKSPACE = "team";
    private static final String INITIAL = "admin-pass-123";
    private static final String CHANGED = "admin-pass-changed-456";

    final SettableClock clock = new SettableClock(System.currentTimeMillis());
    final AtelierServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String admin;

    NotebookServerFixture() {
        this(Optional.empty());
    }

    /** @param databaseUrl the database of the server (SQLite in its data directory when empty) */
    NotebookServerFixture(Optional<String> databaseUrl) {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/jupyter-notebook"))
                || Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/jupyter_server")), "Jupyter (jupyter-notebook or python3-jupyter-server)");
        server = start(databaseUrl, clock);
        HttpJson.Response changed = call("POST", "/api/v1/auth/password", Map.of("current_password", INITIAL, "new_password", CHANGED),
                basic("admin", INITIAL));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        admin = "Bearer " + token(basic("admin", CHANGED));
        assertThat(call("POST", "/api/v1/workspaces", Map.of("name", WORKSPACE), admin).status()).isEqualTo(201);
    }

    /** Another server with a data directory of its own, on {@code databaseUrl} (which this fixture's server uses too). */
    static AtelierServer start(Optional<String> databaseUrl, SettableClock clock) {
        try {
            ServerConfig config = ServerConfig.forTests(Files.createTempDirectory("atelier-notebooks-test"))
                    .withSecurity(new SecurityConfig(true, Optional.of(INITIAL), Optional.empty()));
            return AtelierServer.start(databaseUrl.map(config::withDatabaseUrl).orElse(config), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user with {@code role} in the workspace; returns its {@code Authorization}. */
    String user(String name, String role) {
        assertThat(call("POST", "/api/v1/users", Map.of("username", name, "password", name + "-password-1", "server_admin", false),
                admin).status()).isEqualTo(201);
        HttpJson.Response granted = call("POST", "/w/" + WORKSPACE + "/api/v1/access", Map.of("username", name, "role", role), admin);
        assertThat(granted.status()).as(granted.text()).isEqualTo(200);
        return "Bearer " + token(basic(name, name + "-password-1"));
    }

    private String token(String authorization) {
        HttpJson.Response created = call("POST", "/api/v1/tokens", Map.of("name", "test"), authorization);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    /** Creates an instance from {@code body} and waits until it is Running. */
    JsonNode createRunning(Map<String, Object> body, String authorization) {
        HttpJson.Response created = call("POST", "/w/" + WORKSPACE + "/api/v1/compute-instances", body, authorization);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return awaitState((String) body.get("name"), "Running", authorization);
    }

    JsonNode awaitState(String name, String state, String authorization) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode shown = null;
        while (System.nanoTime() < deadline) {
            HttpJson.Response response = call("GET", "/w/" + WORKSPACE + "/api/v1/compute-instances/" + name, null, authorization);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            shown = response.json();
            if (shown.get("state").asText().equals(state)) {
                return shown;
            }
            assertThat(shown.get("state").asText()).as(shown.toString()).isNotEqualTo("Failed");
            sleep(200);
        }
        throw new AssertionError("instance " + name + " did not reach " + state + ": " + shown);
    }

    HttpJson.Response call(String method, String path, Object body, String authorization) {
        return call(server, method, path, body, authorization);
    }

    /** A call to {@code target}, which may be another server than this fixture's. */
    HttpJson.Response call(AtelierServer target, String method, String path, Object body, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.url() + path));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8));
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpJson.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
