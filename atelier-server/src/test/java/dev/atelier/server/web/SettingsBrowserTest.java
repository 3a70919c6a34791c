package dev.atelier.server.web;

import static dev.atelier.server.web.Browser.waitFor;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Settings pages in headless Chromium with authentication on, signed in as a workspace Owner
 * through the login page: granting a role, creating a token that is shown once, creating a secret
 * and showing its value, and finding that read in the audit log. With
 * {@code -Dportal.screenshots=docs/images} the secrets page is saved as {@code portal-settings.png}.
 */
@ExtendWith(Browser.class)
class SettingsBrowserTest {
    private static final String PASSWORD = "admin-pass-123";
    private static TestServer server;
    private static String adminBasic;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-settings-browser"))
                .withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())));
        assertThat(call("POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", "admin-pass-456"),
                basic("admin", PASSWORD)).status()).isEqualTo(200);
        adminBasic = basic("admin", "admin-pass-456");
        for (String user : new String[]{"olga", "newbie"}) {
            assertThat(call("POST", "/api/v1/users", Map.of("username", user, "password", user + "-password-1"), adminBasic).status())
                    .isEqualTo(201);
        }
        assertThat(call("POST", "/api/v1/access", Map.of("username", "olga", "role", "Owner"), adminBasic).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anOwnerManagesMembersTokensAndSecretsAndSeesTheAuditLog(ChromeDriver browser) {
        try {
            signIn(browser, "olga", "olga-password-1", "/settings/members");

            browser.findElement(By.cssSelector("#grant-form input[name=username]")).sendKeys("newbie");
            new Select(browser.findElement(By.cssSelector("#grant-form select[name=role]"))).selectByVisibleText("Data Scientist");
            browser.findElement(By.id("grant-submit")).click();
            WebElement member = waitFor(browser, () -> browser.findElement(By.cssSelector("#members tr[data-member='newbie'] td.role")));
            assertThat(member.getText()).isEqualTo("Data Scientist");

            browser.get(server.url() + "/settings/tokens");
            browser.findElement(By.cssSelector("#token-form input[name=name]")).sendKeys("from-the-browser");
            browser.findElement(By.id("create-token")).click();
            String token = waitFor(browser, () -> browser.findElement(By.id("new-token"))).getText();
            assertThat(token).startsWith("atl_");
            assertThat(call("GET", "/api/v1/auth/me", null, "Bearer " + token).json().path("username").asText()).isEqualTo("olga");
            assertThat(browser.findElement(By.cssSelector("#tokens")).getText()).contains("from-the-browser", "default");
            browser.navigate().refresh();
            waitFor(browser, () -> browser.findElement(By.id("token-form")));
            assertThat(browser.findElements(By.id("new-token"))).isEmpty();
            assertThat(browser.getPageSource()).contains("from-the-browser").doesNotContain(token);

            browser.get(server.url() + "/settings/secrets");
            browser.findElement(By.cssSelector("#create-secret input[name=name]")).sendKeys("warehouse");
            browser.findElement(By.cssSelector("#create-secret textarea[name=value]")).sendKeys("hunter2");
            browser.findElement(By.id("create-secret-submit")).click();
            WebElement row = waitFor(browser, () -> browser.findElement(By.cssSelector("#secrets tr[data-secret='warehouse']")));
            assertThat(browser.getPageSource()).doesNotContain("hunter2");
            row.findElement(By.cssSelector(".reveal-secret button")).click();
            WebElement value = waitFor(browser, () -> browser.findElement(By.cssSelector("tr[data-secret='warehouse'] .secret-value")));
            assertThat(value.getText()).isEqualTo("hunter2");
            screenshot(browser, "settings");
            browser.findElement(By.cssSelector("tr[data-secret='warehouse'] .secret-hide")).click();
            waitFor(browser, () -> browser.findElements(By.cssSelector(".secret-value")).isEmpty());
            assertThat(browser.getPageSource()).doesNotContain("hunter2");

            browser.get(server.url() + "/settings/audit");
            browser.findElement(By.cssSelector("#audit-filter input[name=principal]")).sendKeys("olga");
            browser.findElement(By.cssSelector("#audit-filter button[type=submit]")).click();
            waitFor(browser, () -> browser.getCurrentUrl().contains("principal=olga"));
            String log = browser.findElement(By.id("audit-events")).getText();
            assertThat(log).contains("POST /settings/secrets/{name}/value", "/settings/secrets/warehouse/value", "POST /settings/members");
            assertThat(browser.findElements(By.cssSelector("#audit-events td.principal")))
                    .allSatisfy(cell -> assertThat(cell.getText()).isEqualTo("olga"));
        } finally {
            browser.manage().deleteAllCookies();
        }
    }

    private static void signIn(ChromeDriver browser, String username, String password, String next) {
        browser.manage().deleteAllCookies();
        browser.get(server.url() + "/login?next=" + next);
        browser.findElement(By.cssSelector("#login-form input[name=username]")).sendKeys(username);
        browser.findElement(By.cssSelector("#login-form input[name=password]")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waitFor(browser, () -> browser.getCurrentUrl().equals(server.url() + next)
                && !browser.findElements(By.cssSelector("nav.tabs")).isEmpty());
    }

    /** Saves the page as {@code <dir>/portal-<name>.png} when -Dportal.screenshots=<dir> is set. */
    private static void screenshot(ChromeDriver browser, String name) {
        String folder = System.getProperty("portal.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(folder).resolve("portal-" + name + ".png");
            Files.createDirectories(target.getParent());
            Dimension window = browser.manage().window().getSize();
            browser.manage().window().setSize(new Dimension(1280, 760));
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            browser.manage().window().setSize(window);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpJson.Response call(String method, String path, Object body, String authorization) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8);
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").method(method, publisher).build());
    }
}
