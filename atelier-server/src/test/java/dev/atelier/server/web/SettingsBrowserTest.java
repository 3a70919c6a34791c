package dev.atelier.server.web;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Settings pages in headless Chromium with authentication on, signed in as a workspace Owner
 * through the login page: granting a role, creating a token that is shown once, creating a secret
 * and showing its value, and finding that read in the audit log. With
 * {@code -Dportal.screenshots=docs/images} the secrets page is saved as {@code portal-settings.png}.
 */
@ExtendWith(Browser.class)
class SettingsBrowserTest {
    private static SignedInPortal portal;

    @BeforeAll
    static void start() {
        portal = SignedInPortal.start("settings-browser");
        portal.addUser("olga", Optional.of("Owner"));
        portal.addUser("newbie", Optional.empty());
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void anOwnerManagesMembersTokensAndSecretsAndSeesTheAuditLog(ChromeDriver browser) {
        try {
            signIn(browser, "olga", "/settings/members");

            browser.findElement(By.cssSelector("#grant-form input[name=username]")).sendKeys("newbie");
            new Select(browser.findElement(By.cssSelector("#grant-form select[name=role]"))).selectByVisibleText("Data Scientist");
            browser.findElement(By.id("grant-submit")).click();
            WebElement member = waitFor(browser, () -> browser.findElement(By.cssSelector("#members tr[data-member='newbie'] td.role")));
            assertThat(member.getText()).isEqualTo("Data Scientist");

            browser.get(portal.url() + "/settings/tokens");
            browser.findElement(By.cssSelector("#token-form input[name=name]")).sendKeys("from-the-browser");
            browser.findElement(By.id("create-token")).click();
            String token = waitFor(browser, () -> browser.findElement(By.id("new-token"))).getText();
            assertThat(token).startsWith("atl_");
            assertThat(portal.call("GET", "/api/v1/auth/me", null, "Bearer " + token).json().path("username").asText()).isEqualTo("olga");
            assertThat(browser.findElement(By.cssSelector("#tokens")).getText()).contains("from-the-browser", "default");
            browser.navigate().refresh();
            waitFor(browser, () -> browser.findElement(By.id("token-form")));
            assertThat(browser.findElements(By.id("new-token"))).isEmpty();
            assertThat(browser.getPageSource()).contains("from-the-browser").doesNotContain(token);

            browser.get(portal.url() + "/settings/secrets");
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

            browser.get(portal.url() + "/settings/audit");
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


    private static void signIn(ChromeDriver browser, String username, String next) {
        portal.signIn(browser, username, next);
        waitFor(browser, () -> !browser.findElements(By.cssSelector("nav.tabs")).isEmpty());
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


}
