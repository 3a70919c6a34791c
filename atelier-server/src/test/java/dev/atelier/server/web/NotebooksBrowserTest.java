package dev.atelier.server.web;

import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Notebooks page in headless Chromium with a real Jupyter behind it: stop and start from the page (portal forms
 * with the CSRF token), then "Open" loads Jupyter's own page through the proxy, with its scripts running.
 */
@ExtendWith(Browser.class)
class NotebooksBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void stopStartAndOpenAnInstanceFromThePage(ChromeDriver browser) {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/jupyter-notebook"))
                || Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/jupyter_server")), "Jupyter");
        assertThat(server.http().post("/api/v1/compute-instances", Map.of("name", "browser-nb",
                "idle_time_before_shutdown_minutes", 60)).status()).isEqualTo(201);
        browser.get(server.url() + "/notebooks");
        WebElement running = waitFor(browser, Duration.ofSeconds(90), () -> {
            browser.navigate().refresh();
            WebElement state = browser.findElement(By.cssSelector("tr[data-instance='browser-nb'] td.state"));
            return state.getText().startsWith("Running") ? state : null;
        });
        assertThat(running.getText()).startsWith("Running");
        assertThat(browser.findElement(By.cssSelector("tr[data-instance='browser-nb']")).getText()).contains("min left");

        browser.findElement(By.cssSelector("tr[data-instance='browser-nb'] button.secondary")).click();
        waitFor(browser, Duration.ofSeconds(30), () -> browser.findElement(By.cssSelector("tr[data-instance='browser-nb'] td.state"))
                .getText().startsWith("Stopped"));
        browser.findElement(By.cssSelector("tr[data-instance='browser-nb'] form button")).click();
        waitFor(browser, Duration.ofSeconds(90), () -> {
            browser.navigate().refresh();
            return browser.findElement(By.cssSelector("tr[data-instance='browser-nb'] td.state")).getText().startsWith("Running");
        });

        WebElement open = browser.findElement(By.cssSelector("tr[data-instance='browser-nb'] a.button"));
        assertThat(open.getAttribute("target")).isEqualTo("_blank");
        browser.get(open.getAttribute("href"));
        // Jupyter's own page, its scripts run: the file list of the tree (classic notebook) or the app's shell.
        waitFor(browser, Duration.ofSeconds(30), () -> browser.getCurrentUrl().contains("/w/default/notebooks/browser-nb/")
                && !browser.findElements(By.cssSelector("#notebook_list, .jp-LabShell, .jp-NotebookShell")).isEmpty());
        assertThat(browser.getTitle()).isNotBlank();
    }
}
