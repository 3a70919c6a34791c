package dev.atelier.server.web;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.designer.DesignerFixtures;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.io.IOException;
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
 * The designer with authentication on: a Reader signed in through the login page sees the drafts and opens one
 * read-only (no new draft, no submit, no dragging, disabled fields, the keyboard changes nothing), and the API refuses
 * the Reader's saves; a draft is saved by its owner only.
 */
@ExtendWith(Browser.class)
class DesignerReaderBrowserTest {
    private static final String PASSWORD = "admin-pass-123";
    private static TestServer server;
    private static String adminBasic;
    private static String draftId;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-designer-reader"))
                .withSecurity(new SecurityConfig(true, Optional.of(PASSWORD), Optional.empty())));
        assertThat(call("POST", "/api/v1/auth/password", Map.of("current_password", PASSWORD, "new_password", "admin-pass-456"),
                basic("admin", PASSWORD)).status()).isEqualTo(200);
        adminBasic = basic("admin", "admin-pass-456");
        Map<String, String> roles = Map.of("dana", "Data Scientist", "dave", "Data Scientist", "rita", "Reader");
        roles.forEach((user, role) -> {
            assertThat(call("POST", "/api/v1/users", Map.of("username", user, "password", user + "-password-1"), adminBasic).status())
                    .isEqualTo(201);
            assertThat(call("POST", "/api/v1/access", Map.of("username", user, "role", role), adminBasic).status()).isEqualTo(200);
        });
        DesignerFixtures.registerComponents(server.http().withHeader("Authorization", adminBasic), "");
        HttpJson.Response created = call("POST", "/api/v1/designer/drafts", Map.of("name", "dana's pipeline", "pipeline_yaml", """
                type: pipeline
                jobs:
                  make: {component: azureml:make_table:1, inputs: {rows: 4}}
                  count:
                    component: azureml:count_rows:1
                    inputs: {data: "${{parent.jobs.make.outputs.data}}"}
                """), dana());
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        draftId = created.json().path("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aReaderSeesDraftsReadOnly(ChromeDriver browser) {
        try {
            signIn(browser, "rita", "rita-password-1", "/designer");
            assertThat(browser.findElement(By.id("drafts")).getText()).contains("dana's pipeline", "dana");
            assertThat(browser.findElements(By.id("new-draft"))).isEmpty();
            assertThat(browser.findElements(By.id("import-yaml"))).isEmpty();

            browser.findElement(By.linkText("dana's pipeline")).click();
            DesignerCanvas canvas = new DesignerCanvas(browser).ready();
            assertThat(browser.findElement(By.id("designer-readonly")).getText()).isEqualTo("read-only");
            assertThat(browser.findElements(By.id("designer-submit"))).isEmpty();
            assertThat(canvas.steps()).containsExactly("make", "count");
            assertThat(canvas.edges()).hasSize(1);
            assertThat(browser.findElement(By.cssSelector(".palette-item[data-component='make_table:1']")).getAttribute("draggable"))
                    .isNotEqualTo("true");

            canvas.drag("make_table:1", 200, 200);
            canvas.click("s:make");
            WebElement rows = waitFor(browser, () -> browser.findElement(By.cssSelector("#designer-panel [data-input='rows']")));
            assertThat(rows.isEnabled()).isFalse();
            new Actions(browser).sendKeys(Keys.DELETE).perform();
            canvas.connect("make", "data", "count", "data");
            assertThat(canvas.steps()).containsExactly("make", "count");
            assertThat(canvas.version()).isEqualTo(1);
            assertThat(call("GET", "/api/v1/designer/drafts/" + draftId, null, dana()).json().path("latest_version").asInt())
                    .as("nothing saved").isEqualTo(1);
        } finally {
            browser.manage().deleteAllCookies();
        }
    }

    @Test
    void onlyTheOwnerSavesOrDeletesADraft() {
        Map<String, Object> save = Map.of("base_version", 1, "document", Map.of("pipeline", Map.of("type", "pipeline")));
        assertThat(call("PUT", "/api/v1/designer/drafts/" + draftId, save, basic("rita", "rita-password-1")).status()).isEqualTo(403);
        HttpJson.Response other = call("PUT", "/api/v1/designer/drafts/" + draftId, save, basic("dave", "dave-password-1"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.text()).contains("belongs to dana");
        assertThat(call("DELETE", "/api/v1/designer/drafts/" + draftId, null, basic("dave", "dave-password-1")).status()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/designer/drafts", Map.of("name", "mine"), basic("rita", "rita-password-1")).status())
                .isEqualTo(403);
        assertThat(call("GET", "/api/v1/designer/drafts/" + draftId, null, basic("dave", "dave-password-1")).status()).isEqualTo(200);
    }

    private static String dana() {
        return basic("dana", "dana-password-1");
    }

    private static void signIn(ChromeDriver browser, String username, String password, String next) {
        browser.manage().deleteAllCookies();
        browser.get(server.url() + "/login?next=" + next);
        browser.findElement(By.cssSelector("#login-form input[name=username]")).sendKeys(username);
        browser.findElement(By.cssSelector("#login-form input[name=password]")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        waitFor(browser, () -> browser.getCurrentUrl().equals(server.url() + next));
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
