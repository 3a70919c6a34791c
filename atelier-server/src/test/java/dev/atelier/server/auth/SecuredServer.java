package dev.atelier.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server with authentication on whose first admin already changed the initial password,
 * with helpers to create users, roles and tokens and to send requests with credentials.
 */
final class SecuredServer implements AutoCloseable {
    static final String INITIAL_ADMIN_PASSWORD = "admin-pass-123";
    static final String ADMIN_PASSWORD = "admin-pass-changed-456";

    private final TestServer server;
    private final HttpJson http;
    private final String adminToken;

    private SecuredServer(TestServer server, String adminToken) {
        this.server = server;
        this.http = server.http();
        this.adminToken = adminToken;
    }

    /** Auth on, SQLite in a new temporary folder, admin password changed, an admin token ready. */
    static SecuredServer start() {
        return start(UnaryOperator.identity());
    }

    static SecuredServer start(UnaryOperator<ServerConfig> customize) {
        try {
            return startWithChangedPassword(customize.apply(config(Files.createTempDirectory("atelier-auth-test"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerConfig config(Path dataDir) {
        return ServerConfig.forTests(dataDir).withSecurity(
                new SecurityConfig(true, Optional.of(INITIAL_ADMIN_PASSWORD), Optional.empty()));
    }

    private static SecuredServer startWithChangedPassword(ServerConfig config) {
        TestServer server = TestServer.start(config);
        HttpJson.Response changed = server.http().send(request(server.url(), "POST", "/api/v1/auth/password",
                Map.of("current_password", INITIAL_ADMIN_PASSWORD, "new_password", ADMIN_PASSWORD),
                basic("admin", INITIAL_ADMIN_PASSWORD)));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        SecuredServer secured = new SecuredServer(server, null);
        String token = secured.createToken(basic("admin", ADMIN_PASSWORD), Map.of("name", "admin-test"));
        return new SecuredServer(server, token);
    }

    TestServer server() {
        return server;
    }

    String url() {
        return server.url();
    }

    String adminToken() {
        return adminToken;
    }

    /** {@code Authorization} of the admin's unrestricted token. */
    String admin() {
        return bearer(adminToken);
    }

    /** Sends {@code body} as JSON ({@code null}: no body) with an {@code Authorization} header when not null. */
    HttpJson.Response call(String method, String path, Object body, String authorization, String... headers) {
        return http.send(request(url(), method, path, body, authorization, headers));
    }

    static HttpRequest request(String baseUrl, String method, String path, Object body, String authorization,
                               String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "*/*");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8));
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    /** Creates a user (not a server admin unless asked) and returns its name. */
    String createUser(String username, String password, boolean serverAdmin) {
        HttpJson.Response created = call("POST", "/api/v1/users", Map.of("username", username, "password", password,
                "server_admin", serverAdmin), admin());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return username;
    }

    void grant(String workspace, String username, String role) {
        String prefix = workspace.equals("default") ? "" : "/w/" + workspace;
        HttpJson.Response granted = call("POST", prefix + "/api/v1/access", Map.of("username", username, "role", role), admin());
        assertThat(granted.status()).as(granted.text()).isEqualTo(200);
    }

    void createWorkspace(String name) {
        HttpJson.Response created = call("POST", "/api/v1/workspaces", Map.of("name", name), admin());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    /** Creates a token with {@code authorization}'s credentials and returns its secret. */
    String createToken(String authorization, Map<String, Object> body) {
        HttpJson.Response created = call("POST", "/api/v1/tokens", body, authorization);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode json = created.json();
        assertThat(json.get("token").asText()).startsWith("atl_");
        return json.get("token").asText();
    }

    /** A user with a role in a workspace and an unrestricted token; returns the token. */
    String userWithRole(String username, String workspace, String role) {
        createUser(username, username + "-password", false);
        grant(workspace, username, role);
        return createToken(basic(username, username + "-password"), new HashMap<>(Map.of("name", "test")));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
