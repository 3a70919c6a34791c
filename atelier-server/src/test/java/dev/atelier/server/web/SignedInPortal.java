package dev.atelier.server.web;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server with authentication on for browser tests: the admin's first password already changed, users created with
 * {@code <name>-password-1}, and sign-in through the login page as a user would. Close it after the tests.
 */
final class SignedInPortal implements AutoCloseable {
    private static final String FIRST_PASSWORD = "admin-pass-123";
    private final TestServer server;
    private final String adminBasic;

    private SignedInPortal(TestServer server, String adminBasic) {
        this.server = server;
        this.adminBasic = adminBasic;
    }

    static SignedInPortal start(String name) {
        try {
            TestServer server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-" + name))
                    .withSecurity(new SecurityConfig(true, Optional.of(FIRST_PASSWORD), Optional.empty())));
            SignedInPortal portal = new SignedInPortal(server, basic("admin", "admin-pass-456"));
            assertThat(portal.call("POST", "/api/v1/auth/password", Map.of("current_password", FIRST_PASSWORD,
                    "new_password", "admin-pass-456"), basic("admin", FIRST_PASSWORD)).status()).isEqualTo(200);
            return portal;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestServer server() {
        return server;
    }

    String url() {
        return server.url();
    }

    /** The admin's HTTP Basic credentials. */
    String admin() {
        return adminBasic;
    }

    /** Creates {@code username} with the password {@code <username>-password-1}, with {@code role} in the default workspace when given. */
    void addUser(String username, Optional<String> role) {
        assertThat(call("POST", "/api/v1/users", Map.of("username", username, "password", password(username)), adminBasic).status())
                .isEqualTo(201);
        role.ifPresent(name -> assertThat(call("POST", "/api/v1/access", Map.of("username", username, "role", name), adminBasic)
                .status()).isEqualTo(200));
    }

    static String password(String username) {
        return username + "-password-1";
    }

    /** HTTP Basic credentials of a user made by {@link #addUser}. */
    static String basicOf(String username) {
        return basic(username, password(username));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpJson.Response call(String method, String path, Object body, String authorization) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8);
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").method(method, publisher).build());
    }

    /** Signs in through the login page as a user made by {@link #addUser}; returns once the browser is on {@code next}. */
    void signIn(ChromeDriver browser, String username, String next) {
        browser.manage().deleteAllCookies();
        browser.get(server.url() + "/login?next=" + next);
        waitFor(browser, () -> browser.findElement(By.cssSelector("#login-form input[name=username]"))).sendKeys(username);
        browser.findElement(By.cssSelector("#login-form input[name=password]")).sendKeys(password(username));
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waitFor(browser, () -> browser.getCurrentUrl().equals(server.url() + next));
    }

    @Override
    public void close() {
        server.close();
    }
}
